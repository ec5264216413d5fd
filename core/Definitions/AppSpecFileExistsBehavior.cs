namespace BuildFarm.Core.Definitions;

/// <summary>What Install does when a destination file exists that the previous revision did not install.</summary>
public enum AppSpecFileExistsBehavior
{
    /// <summary>Fail the deployment (CodeDeploy's default).</summary>
    Disallow,

    /// <summary>Replace it with the revision's file.</summary>
    Overwrite,

    /// <summary>Keep the file on the host; the revision's copy is not installed.</summary>
    Retain,
}
