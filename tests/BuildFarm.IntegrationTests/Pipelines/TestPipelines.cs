namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>Pipeline files and buildspecs the pipeline tests share: a build that holds its stage, and an approval gate.</summary>
internal static class TestPipelines
{
    /// <summary>Holds until $GATE/release exists (a bounded wait: 120 s), so a test decides when the Build stage frees up.</summary>
    public const string HoldSpec = """
        version: 0.2
        phases:
          build:
            commands:
              - for i in $(seq 1 1200); do test -f "$GATE/release" && break; sleep 0.1; done; test -f "$GATE/release"
        """;

    public const string DoneSpec = "version: 0.2\nphases:\n  build:\n    commands:\n      - test -f done.yml\n";

    /// <summary>Source → Build (Hold: hold.yml, released through <paramref name="gate"/>) → After (Done: done.yml).</summary>
    public static string Holding(GitRepository repository, string gate, string mode) => $$"""
        version: 1
        executionMode: {{mode}}
        variables:
          - name: GATE
            default: "{{gate}}"
        {{SourceStage(repository)}}
          - name: Build
            actions:
              - name: Hold
                category: build
                inputArtifacts: [Src]
                configuration: { buildspec: hold.yml }
        {{AfterStage}}
        """;

    /// <summary>Source → Gate (Release: an approval, with <paramref name="timeoutMinutes"/> when set) → After (Done: done.yml).</summary>
    public static string Gated(GitRepository repository, int? timeoutMinutes = null) => $$"""
        version: 1
        {{SourceStage(repository)}}
          - name: Gate
            actions:
              - name: Release
                category: approval
                configuration: { summary: "Ship it?"{{(timeoutMinutes is { } m ? $", timeoutMinutes: {m}" : "")}} }
        {{AfterStage}}
        """;

    private static string SourceStage(GitRepository repository) => $$"""
        stages:
          - name: Source
            actions:
              - name: Checkout
                category: source
                configuration: { repository: "{{repository.Url}}" }
                outputArtifacts: [Src]
        """;

    private const string AfterStage = """
          - name: After
            actions:
              - name: Done
                category: test
                inputArtifacts: [Src]
                configuration: { buildspec: done.yml }
        """;
}
