/**
 * Status histories of synthetic projects: the statuses a project went through to reach its final one, dated so that
 * construction starts from 2020 on and nothing happens after the reference day, with a note on some steps.
 */

import type { Status } from './columns';
import { dayBetween, REF, toDay } from './dates';
import { chance, int, pick, type Rng } from './random';

/** The statuses a project went through, oldest first, ending in `final`. */
function lifecycle(rng: Rng, final: Status): Status[] {
  const base: Status[] = ['PLANNED', 'PREPARATION', 'APPROVED'];
  let path: Status[];
  switch (final) {
    case 'PLANNED':
      path = ['PLANNED'];
      break;
    case 'PREPARATION':
      path = ['PLANNED', 'PREPARATION'];
      break;
    case 'APPROVED':
      path = [...base];
      break;
    case 'UNDER_CONSTRUCTION':
      path = [...base, 'UNDER_CONSTRUCTION'];
      if (chance(rng, 0.1)) path.push('SUSPENDED', 'UNDER_CONSTRUCTION');
      break;
    case 'COMPLETED':
      path = [...base, 'UNDER_CONSTRUCTION'];
      if (chance(rng, 0.1)) path.push('SUSPENDED', 'UNDER_CONSTRUCTION');
      path.push('COMPLETED');
      break;
    case 'SUSPENDED':
      path = chance(rng, 0.7) ? [...base, 'UNDER_CONSTRUCTION', 'SUSPENDED'] : [...base, 'SUSPENDED'];
      break;
    case 'CANCELLED':
      path = [...base.slice(0, int(rng, 1, 3)), 'CANCELLED'];
      break;
  }
  // Records often begin later than the project: the first step is unknown for some.
  if (path.length >= 3 && chance(rng, 0.3)) path = path.slice(1);
  return path;
}

/** Days from one status to the next. */
function gapAfter(rng: Rng, status: Status): number {
  switch (status) {
    case 'PLANNED':
      return int(rng, 60, 720);
    case 'PREPARATION':
      return int(rng, 60, 540);
    case 'APPROVED':
      return int(rng, 30, 365);
    case 'UNDER_CONSTRUCTION':
      return int(rng, 180, 1460);
    case 'SUSPENDED':
      return int(rng, 60, 500);
    default:
      return int(rng, 30, 365);
  }
}

const HISTORY_NOTES: Partial<Record<Status, string[]>> = {
  SUSPENDED: [
    'Tạm dừng do vướng mặt bằng (dữ liệu tổng hợp).',
    'Tạm dừng để điều chỉnh chủ trương đầu tư (dữ liệu tổng hợp).',
  ],
  CANCELLED: [
    'Dừng thực hiện, chuyển sang hình thức đầu tư khác (dữ liệu tổng hợp).',
    'Không bố trí được vốn (dữ liệu tổng hợp).',
  ],
  COMPLETED: ['Hoàn thành, đưa vào khai thác (dữ liệu tổng hợp).'],
};

export function generateHistory(rng: Rng, final: Status) {
  const path = lifecycle(rng, final);
  const days: number[] = new Array(path.length);
  const uc = path.indexOf('UNDER_CONSTRUCTION');
  if (uc >= 0) {
    const latest = final === 'COMPLETED' ? toDay('2024-12-31') : REF - 120;
    days[uc] = dayBetween(rng, '2020-01-02', latest);
    for (let i = uc - 1; i >= 0; i--) days[i] = days[i + 1] - gapAfter(rng, path[i]);
    const gaps = path.slice(uc, -1).map((s) => gapAfter(rng, s));
    const available = REF - days[uc];
    const sum = gaps.reduce((a, b) => a + b, 0);
    const scale = sum > available ? available / sum : 1;
    for (let i = uc + 1; i < path.length; i++)
      days[i] = days[i - 1] + Math.max(1, Math.floor(gaps[i - uc - 1] * scale));
  } else {
    const last = path.length - 1;
    days[last] = dayBetween(rng, '2018-01-01', REF);
    for (let i = last - 1; i >= 0; i--) days[i] = days[i + 1] - gapAfter(rng, path[i]);
  }
  return path.map((status, i) => ({
    status,
    day: days[i],
    note: HISTORY_NOTES[status] && chance(rng, 0.5) ? pick(rng, HISTORY_NOTES[status]!) : null,
  }));
}
