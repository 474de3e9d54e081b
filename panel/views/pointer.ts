/** Keeps a drag's pointer events on `handle` even when the pointer leaves it. */
export function capturePointer(handle: HTMLElement, pointerId: number): void {
  try {
    handle.setPointerCapture(pointerId);
  } catch {
    // Not an active pointer (already released): the handle's listeners still get its events while it is over it.
  }
}
