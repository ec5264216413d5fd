using System.Diagnostics;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.Bench.Validation;

/// <summary>Buildspecs validated per second on one thread (the same parser `buildfarm validate` and the coordinator use).</summary>
public static class ValidationBenchmark
{
    private const string Typical = """
        version: 0.2
        env:
          variables:
            JAVA_HOME: /usr/lib/jvm/java-17
            GRADLE_OPTS: "-Dorg.gradle.daemon=false"
          parameter-store:
            DB_PASSWORD: /prod/db/password
        phases:
          install:
            runtime-versions:
              java: corretto17
            commands:
              - echo installing
          pre_build:
            commands:
              - cd backend
              - ./gradlew --version
          build:
            on-failure: ABORT
            commands:
              - ./gradlew build -x test
              - ./gradlew test
            finally:
              - echo build done
          post_build:
            commands:
              - echo "built on $(date)"
        reports:
          junit:
            files:
              - "build/test-results/test/*.xml"
            base-directory: backend
        artifacts:
          files:
            - appspec.yml
            - build/libs/*.jar
            - scripts/**/*
          base-directory: backend
        cache:
          paths:
            - /root/.gradle/caches/**/*
        """;

    public static int Run(int seconds)
    {
        var result = BuildSpecParser.Parse(Typical, "buildspec.yml");
        if (result.HasErrors)
        {
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        }

        for (var i = 0; i < 2000; i++)
        {
            BuildSpecParser.Parse(Typical, "buildspec.yml");
        }

        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 100; i++)
            {
                BuildSpecParser.Parse(Typical, "buildspec.yml");
            }

            count += 100;
        }

        Console.WriteLine($"validated {count} buildspecs ({Typical.Length} chars, {Typical.Split('\n').Length} lines) in {clock.Elapsed.TotalSeconds:0.00} s on one thread: {count / clock.Elapsed.TotalSeconds:0} /s");
        return 0;
    }
}
