/**
 * An IANA zone where it is about noon right now, so tests that run in real time are never
 * inside a policy's quiet hours, whenever CI happens to run them.
 */
export function middayZone(now = new Date()): string {
  let offset = 12 - now.getUTCHours(); // hours east of UTC that make local time ~12:00
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // Etc/GMT zones have the POSIX sign: Etc/GMT-3 is UTC+3.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
