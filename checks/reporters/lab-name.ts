/** How reports name a lab: the two-digit number of its folder (`labs/04-red-recording-rules/`) and its slug. */
import type { LabRef } from '../model.ts';

/** "04", as in the lab's folder name, so reports sort and read like the course. */
export function labNumber(lab: LabRef): string {
  return String(lab.number).padStart(2, '0');
}

/** "04-red-recording-rules": the lab's folder name. */
export function labFolder(lab: LabRef): string {
  return `${labNumber(lab)}-${lab.slug}`;
}
