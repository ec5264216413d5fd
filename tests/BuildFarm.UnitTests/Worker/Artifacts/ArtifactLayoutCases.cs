using BuildFarm.Core.Definitions;

namespace BuildFarm.UnitTests.Worker.Artifacts;

/// <summary>Scenarios as data: files on disk (a trailing '/' makes an empty directory), an artifacts section, the zip's entries.</summary>
internal static class ArtifactLayoutCases
{
    private static readonly string[] SpringBootTree =
    [
        "backend/appspec.yml", "backend/build/libs/app.jar", "backend/build/libs/app-plain.jar",
        "backend/build/classes/Main.class", "backend/scripts/start.sh", "backend/scripts/lib/common.sh",
        "backend/src/Main.java", "frontend/index.html", "appspec.yml",
    ];

    public static readonly IReadOnlyDictionary<string, (string[] OnDisk, BuildSpecArtifacts Artifacts, string[] Expected)> All =
        new Dictionary<string, (string[], BuildSpecArtifacts, string[])>(StringComparer.Ordinal)
        {
            ["seed: base-directory backend, appspec + jars + scripts"] = (
                SpringBootTree,
                new BuildSpecArtifacts(["appspec.yml", "build/libs/*.jar", "scripts/**/*"]) { BaseDirectory = "backend" },
                ["appspec.yml", "build/libs/app-plain.jar", "build/libs/app.jar", "scripts/lib/common.sh", "scripts/start.sh"]),
            ["no base-directory: paths from the source root"] = (
                SpringBootTree,
                new BuildSpecArtifacts(["appspec.yml", "backend/build/libs/app.jar"]),
                ["appspec.yml", "backend/build/libs/app.jar"]),
            ["**/* takes everything, dot-files too"] = (
                ["a.txt", ".env", "d/.hidden/x", "d/e/f.txt", "empty/"],
                new BuildSpecArtifacts(["**/*"]),
                [".env", "a.txt", "d/.hidden/x", "d/e/f.txt"]),
            ["* stays at its own level"] = (
                ["top.txt", "sub/inner.txt"],
                new BuildSpecArtifacts(["*"]),
                ["top.txt"]),
            ["dir/* takes the files in dir, not below it"] = (
                ["dist/a.js", "dist/b.js", "dist/maps/a.js.map"],
                new BuildSpecArtifacts(["dist/*"]),
                ["dist/a.js", "dist/b.js"]),
            ["? is one character"] = (
                ["file1.txt", "file2.txt", "file10.txt", "file.txt"],
                new BuildSpecArtifacts(["file?.txt"]),
                ["file1.txt", "file2.txt"]),
            ["**/name matches at the top and at any depth"] = (
                ["report.xml", "a/report.xml", "a/b/c/report.xml", "a/other.xml"],
                new BuildSpecArtifacts(["**/report.xml"]),
                ["a/b/c/report.xml", "a/report.xml", "report.xml"]),
            ["a file listed twice appears once"] = (
                ["a.txt", "b.txt"],
                new BuildSpecArtifacts(["a.txt", "a.txt", "*.txt", "**/*"]),
                ["a.txt", "b.txt"]),
            ["a directory named literally is taken whole"] = (
                ["dist/index.html", "dist/js/app.js", "src/app.ts"],
                new BuildSpecArtifacts(["dist"]),
                ["dist/index.html", "dist/js/app.js"]),
            ["discard-paths flattens to file names"] = (
                SpringBootTree,
                new BuildSpecArtifacts(["build/libs/*.jar", "scripts/**/*"]) { BaseDirectory = "backend", DiscardPaths = true },
                ["app-plain.jar", "app.jar", "common.sh", "start.sh"]),
            ["exclude-paths removes matches, whole directories included"] = (
                ["web/index.html", "web/app.log", "web/node_modules/x/index.js", "web/node_modules/y.js", "web/lib/util.js", "web/lib/debug.log"],
                new BuildSpecArtifacts(["**/*"]) { BaseDirectory = "web", ExcludePaths = ["node_modules/**/*", "**/*.log"] },
                ["index.html", "lib/util.js"]),
            ["exclude-paths by literal name"] = (
                ["out/a.txt", "out/secret.txt"],
                new BuildSpecArtifacts(["out/**/*"]) { ExcludePaths = ["out/secret.txt"] },
                ["out/a.txt"]),
            ["./ and trailing / in patterns and base-directory are ignored"] = (
                ["build/out/a.txt", "build/out/b.txt"],
                new BuildSpecArtifacts(["./out/a.txt", "out//b.txt"]) { BaseDirectory = "./build/" },
                ["out/a.txt", "out/b.txt"]),
            ["** inside a name spans directories"] = (
                ["build/app.jar", "build/libs/x/lib.jar", "build/libs/readme.md"],
                new BuildSpecArtifacts(["build/**.jar"]),
                ["build/app.jar", "build/libs/x/lib.jar"]),
            ["names are matched case-sensitively"] = (
                ["App.JAR", "app.jar"],
                new BuildSpecArtifacts(["*.jar"]),
                ["app.jar"]),
        };
}
