/**
 * Follows a drag that starts with `down` on its handle: `onMove` gets every move until the pointer is released.
 * The handle captures the pointer, so the drag goes on when the pointer leaves it. Only the main button drags.
 */
export function followDrag(down: PointerEvent, onMove: (move: PointerEvent) => void): void {
  if (down.button !== 0) return;
  down.preventDefault();
  down.stopPropagation();
  const handle = down.currentTarget as HTMLElement;
  try {
    handle.setPointerCapture(down.pointerId);
  } catch {
    // Not an active pointer (already released): the handle's listeners still get its events while it is over it.
  }
  const onUp = () => {
    handle.removeEventListener('pointermove', onMove);
    handle.removeEventListener('pointerup', onUp);
    handle.removeEventListener('pointercancel', onUp);
  };
  handle.addEventListener('pointermove', onMove);
  handle.addEventListener('pointerup', onUp);
  handle.addEventListener('pointercancel', onUp);
}
