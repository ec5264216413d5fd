// Stages of a run, as its jobs say: a pipeline file's actions carry their stage (name, index) and run
// order; a buildspec pipeline's one job has none and is the stage "build". Pure functions over API data.

export const BUILDSPEC_STAGE = 'build';

/** [{ name, index, jobs }] left to right, each stage's jobs by run order then name. */
export function stagesOf(run) {
  const stages = new Map();
  for (const job of run?.jobs ?? []) {
    const index = job.stage ? job.stageIndex : 0;
    if (!stages.has(index)) stages.set(index, { name: job.stage || BUILDSPEC_STAGE, index, jobs: [] });
    stages.get(index).jobs.push(job);
  }
  const list = [...stages.values()].sort((a, b) => a.index - b.index);
  for (const stage of list) stage.jobs.sort((a, b) => (a.runOrder - b.runOrder) || a.name.localeCompare(b.name));
  return list;
}

/** A waiting manual approval: its action runs on the coordinator until someone decides. */
export const isPendingApproval = (job) => job.category === 'approval' && job.status === 'Running';

/**
 * One status for a stage of one run: Failed if an action failed; AwaitingApproval or Running while one
 * is under way (or the stage is part-way between run orders); Succeeded when all did; Waiting when it
 * was never reached; else Cancelled or Superseded.
 */
export function stageStatus(jobs, runFinal = false) {
  const statuses = jobs.map((j) => j.status);
  const any = (...wanted) => statuses.some((s) => wanted.includes(s));
  if (statuses.length === 0) return 'Unknown';
  if (any('Failed')) return 'Failed';
  if (jobs.some(isPendingApproval)) return 'AwaitingApproval';
  if (any('Running', 'Queued', 'Cancelling')) return 'Running';
  if (statuses.every((s) => s === 'Succeeded')) return 'Succeeded';
  if (any('Cancelled')) return 'Cancelled';
  if (any('Superseded')) return 'Superseded';
  if (statuses.every((s) => s === 'Waiting')) return 'Waiting';
  // Some actions done, the rest waiting their run order: under way, unless the run already ended.
  return runFinal ? 'Waiting' : 'Running';
}

/** How a stage status reads. */
export function stageLabel(status) {
  if (status === 'AwaitingApproval') return 'Awaiting approval';
  if (status === 'Waiting') return 'Not reached';
  return status;
}
