using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.UnitTests.Core.Definitions;

/// <summary>The <c>batch</c> section read into member builds: lists and graphs as written, a matrix as its cartesian product.</summary>
public class BatchSectionTests
{
    private const string Head = "version: 0.2\nphases:\n  build:\n    commands: [make]\n";

    private static BuildSpecBatch Batch(string batch)
    {
        var result = BuildSpecParser.Parse(Head + batch, "buildspec.yml");
        Assert.True(!result.HasErrors, string.Join("\n", result.Diagnostics));
        return Assert.IsType<BuildSpecBatch>(result.GetSpecOrThrow().Batch);
    }

    private static IReadOnlyList<DefinitionDiagnostic> Diagnostics(string batch) =>
        BuildSpecParser.Parse(Head + batch, "buildspec.yml").Diagnostics;

    [Fact]
    public void A_build_graph_keeps_its_members_dependencies_and_overrides()
    {
        var batch = Batch("""
            batch:
              fast-fail: true
              build-graph:
                - identifier: build1
                  env:
                    variables:
                      BUILD_ID: build1
                    image: aws/codebuild/standard:7.0
                    privileged-mode: yes
                  ignore-failure: true
                - identifier: build2
                  debug-session: true
                  depend-on:
                    - build1
            """);

        Assert.Equal((BatchKind.BuildGraph, true, "build-graph"), (batch.Kind, batch.FastFail, batch.KindKey));
        Assert.Equal(["build1", "build2"], batch.Builds.Select(b => b.Identifier));
        var first = batch.Builds[0];
        Assert.Equal("build1", first.Variables["BUILD_ID"]);
        Assert.Equal(new Dictionary<string, string> { ["image"] = "aws/codebuild/standard:7.0", ["privileged-mode"] = "true" }, first.Environment);
        Assert.True(first.IgnoreFailure);
        Assert.Empty(first.DependOn);
        Assert.Equal(["build1"], batch.Builds[1].DependOn);
        Assert.True(batch.Builds[1].DebugSession);
        Assert.False(batch.Builds[1].IgnoreFailure);
    }

    [Fact]
    public void A_build_list_is_independent_builds_and_fast_fail_defaults_to_false()
    {
        var batch = Batch("batch:\n  build-list:\n    - identifier: linux\n    - identifier: windows_2022\n");

        Assert.Equal((BatchKind.BuildList, false), (batch.Kind, batch.FastFail));
        Assert.Equal(["linux", "windows_2022"], batch.Builds.Select(b => b.Identifier));
        Assert.All(batch.Builds, b => Assert.Empty(b.DependOn));
    }

    [Fact]
    public void A_build_matrix_is_the_cartesian_product_of_its_dynamic_values()
    {
        var batch = Batch("""
            batch:
              build-matrix:
                static:
                  ignore-failure: true
                  env:
                    variables: {STAGE: test, NODE: "16"}
                    type: LINUX_CONTAINER
                dynamic:
                  buildspec:
                    - unit.yml
                    - |
                      version: 0.2
                      phases:
                        build:
                          commands: [make e2e]
                  env:
                    image: [img-a]
                    variables:
                      NODE: ["18", "20"]
                      OS: [alpine, debian, ubuntu]
            """);

        Assert.Equal(BatchKind.BuildMatrix, batch.Kind);
        Assert.Equal(2 * 2 * 3, batch.Builds.Count);
        // The buildspec outermost, the last variable turning fastest; only what varies names a build.
        Assert.Equal(
            ["unit_yml_NODE_18_OS_alpine", "unit_yml_NODE_18_OS_debian", "unit_yml_NODE_18_OS_ubuntu",
             "unit_yml_NODE_20_OS_alpine", "unit_yml_NODE_20_OS_debian", "unit_yml_NODE_20_OS_ubuntu",
             "inline2_NODE_18_OS_alpine", "inline2_NODE_18_OS_debian", "inline2_NODE_18_OS_ubuntu",
             "inline2_NODE_20_OS_alpine", "inline2_NODE_20_OS_debian", "inline2_NODE_20_OS_ubuntu"],
            batch.Builds.Select(b => b.Identifier));
        Assert.Equal(
            batch.Builds.Count,
            batch.Builds.Select(b => (b.BuildSpec!.Describe(), b.Variables["NODE"], b.Variables["OS"])).Distinct().Count());
        Assert.All(batch.Builds, b =>
        {
            Assert.True(b.IgnoreFailure);
            Assert.Equal("test", b.Variables["STAGE"]);
            Assert.Equal(new Dictionary<string, string> { ["type"] = "LINUX_CONTAINER", ["image"] = "img-a" }, b.Environment);
        });
        // A dynamic value replaces the static one of the same name.
        Assert.DoesNotContain(batch.Builds, b => b.Variables["NODE"] == "16");
        Assert.Equal("unit.yml", batch.Builds[0].BuildSpec!.Path);
        var inline = batch.Builds[^1].BuildSpec!;
        Assert.Null(inline.Path);
        Assert.Contains("make e2e", inline.Inline, StringComparison.Ordinal);
        Assert.Equal("inline", inline.Describe());
    }

    [Fact]
    public void Matrix_identifiers_stay_unique_and_valid_when_values_sanitise_alike()
    {
        var batch = Batch("batch:\n  build-matrix:\n    dynamic:\n      env:\n        variables:\n          V: [a-b, a_b, 'a.b']\n");

        Assert.Equal(["V_a_b", "V_a_b_2", "V_a_b_3"], batch.Builds.Select(b => b.Identifier));
        Assert.Equal(["a-b", "a_b", "a.b"], batch.Builds.Select(b => b.Variables["V"]));
    }

    [Fact]
    public void A_matrix_of_100_builds_is_accepted_and_101_is_refused_at_its_key()
    {
        var hundred = Batch("batch:\n  build-matrix:\n    dynamic:\n      env:\n        variables:\n          A: [0,1,2,3,4,5,6,7,8,9]\n          B: [0,1,2,3,4,5,6,7,8,9]\n");
        var diagnostics = Diagnostics("batch:\n  build-matrix:\n    dynamic:\n      buildspec: [a.yml, b.yml]\n      env:\n        variables:\n          A: [0,1,2,3,4,5,6,7,8,9]\n          B: [0,1,2,3,4,5,6,7,8,9]\n");

        Assert.Equal(100, hundred.Builds.Count);
        var error = Assert.Single(diagnostics);
        Assert.Equal((6, 3, "batch.build-matrix", DefinitionSeverity.Error), (error.Line, error.Column, error.Field, error.Severity));
        Assert.Contains("200 builds (2 buildspecs × 10 A × 10 B)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_is_refused_at_the_depend_on_that_closes_it_naming_the_whole_cycle()
    {
        var diagnostics = Diagnostics("""
            batch:
              build-graph:
                - identifier: a
                  depend-on: [b]
                - identifier: b
                  depend-on: [c]
                - identifier: c
                  depend-on: [a]
            """);

        var error = Assert.Single(diagnostics);
        Assert.Equal((12, 19, "batch.build-graph[2].depend-on"), (error.Line, error.Column, error.Field));
        Assert.Contains("a → b → c → a", error.Message, StringComparison.Ordinal);
        Assert.Equal("buildspec.yml:12:19: error: ", error.ToString()[..28]);
    }

    [Fact]
    public void An_unknown_dependency_is_refused_naming_the_builds_there_are()
    {
        var error = Assert.Single(Diagnostics("batch:\n  build-graph:\n    - identifier: a\n    - identifier: b\n      depend-on: [a, c]\n"));

        Assert.Equal((9, 22, "batch.build-graph[1].depend-on"), (error.Line, error.Column, error.Field));
        Assert.Contains("'c'", error.Message, StringComparison.Ordinal);
        Assert.Contains("(builds: a)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inline_buildspec_is_checked_and_its_errors_are_placed_at_the_value()
    {
        var error = Assert.Single(Diagnostics("batch:\n  build-list:\n    - identifier: a\n      buildspec: |\n        version: 0.2\n        phases:\n          bild:\n            commands: [x]\n          build:\n            commands: [y]\n"));

        Assert.Equal((8, 18, DefinitionSeverity.Error), (error.Line, error.Column, error.Severity));
        Assert.StartsWith("batch.build-list[0].buildspec", error.Field, StringComparison.Ordinal);
        Assert.Contains("did you mean 'build'", error.Message, StringComparison.Ordinal);
        Assert.Contains("inline buildspec, its line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_fanout_and_an_empty_list_run_as_one_build_with_a_warning()
    {
        var fanout = BuildSpecParser.Parse(Head + "batch:\n  build-fanout:\n    parallelism: 4\n", "buildspec.yml");
        var empty = BuildSpecParser.Parse(Head + "batch:\n  fast-fail: true\n  build-list: []\n", "buildspec.yml");

        Assert.Null(fanout.GetSpecOrThrow().Batch);
        Assert.Equal((DefinitionSeverity.Warning, "batch.build-fanout"), (fanout.Diagnostics.Single().Severity, fanout.Diagnostics.Single().Field));
        Assert.Null(empty.GetSpecOrThrow().Batch);
        Assert.Equal(DefinitionSeverity.Warning, empty.Diagnostics.Single().Severity);
    }

    [Fact]
    public void A_member_ignores_the_batch_section_of_its_buildspec()
    {
        var spec = BuildSpecParser.Parse(Head + "batch:\n  build-graph:\n    - identifier: a\n      depend-on: [nowhere]\n", "buildspec.yml", readBatch: false).GetSpecOrThrow();

        Assert.Null(spec.Batch);
        Assert.True(spec.BatchIgnored);
    }
}
