using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Persistence.Commits;

/// <summary>Looks at what a SaveChanges is about to write and adds what should happen once it is committed.</summary>
public interface ICommitObserver
{
    /// <summary>Called before the save, with the change tracker still holding the changes; runs nothing itself.</summary>
    void Collect(DbContext context, List<Action> afterCommit);
}
