// Reused scratch arrays on the hot path (a frame's ticks, a tick's drafts): emptied without giving up their
// backing store. `a.length = 0` releases it, so the next push allocates a new one (152 B for one element,
// measured), once per frame; pop() keeps it. Setting length is also a runtime call even when nothing changes.
export function emptyScratch<T>(a: T[]): void {
  while (a.length !== 0) a.pop();
}
