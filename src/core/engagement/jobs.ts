// Background work running for an engagement (a population import streaming in, …). Approving the opinion and
// archiving refuse while any runs, so no job can write behind a lock; jobs also re-check the lock themselves
// before they commit, for work this registry does not see (another process, a job started by a script).

export class EngagementJobs {
  private readonly running = new Map<number, Map<number, string>>();
  private nextId = 1;

  /** Records a job of the engagement, described for the person it holds up; the returned function ends it. */
  begin(engagementId: number, description: string): () => void {
    const id = this.nextId++;
    const jobs = this.running.get(engagementId) ?? new Map<number, string>();
    jobs.set(id, description);
    this.running.set(engagementId, jobs);
    return () => {
      jobs.delete(id);
      if (jobs.size === 0 && this.running.get(engagementId) === jobs) this.running.delete(engagementId);
    };
  }

  /** What is running for the engagement now, oldest first. */
  of(engagementId: number): string[] {
    return [...(this.running.get(engagementId)?.values() ?? [])];
  }

  /** Why `action` must wait, or null when nothing runs. */
  refusal(engagementId: number, action: string): string | null {
    const running = this.of(engagementId);
    if (running.length === 0) return null;
    return `The engagement cannot be ${action} while work on it is still running (${running.join('; ')}). Wait for it to finish, then try again.`;
  }
}
