namespace BuildFarm.Core.Import;

/// <summary>The input is not the JSON that <c>aws codepipeline get-pipeline</c> prints; the message says what is wrong.</summary>
public sealed class CodePipelineImportException(string message) : Exception(message);
