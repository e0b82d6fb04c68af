/**
 * The synthetic projects: each carries out tasks of one plan and gets a name, sector and type, a status history with
 * planned dates that agree with it, a total investment, an owner, locations, funding allocations by source and
 * financier, and now and then a citation of a synthetic source.
 */

import type { Province } from './agencies';
import type { AllocationStatus, LocationLevel, ProjectType, Sector, Status } from './columns';
import { dayBetween, isoDay, toDay, yearOf } from './dates';
import { drawRate, hundredths, roundVnd, type ForeignCurrency } from './money';
import type { GenPlan, GenTask } from './plans';
import { projectNames } from './project-names';
import { chance, int, normal, pick, type Rng } from './random';
import { SOURCE_COUNT } from './sources';
import { generateHistory } from './status-history';
import {
  ALLOCATION_STATUS_BY_PROJECT,
  commune,
  COMPANY_FORMS,
  COMPANY_WORDS,
  pickAllocationCount,
  pickFinalStatus,
  pickFundingSource,
  pickLender,
  pickLocationCount,
  pickSector,
  pickTaskCount,
  pickType,
  RIVERS,
  themeSector,
  TRANSPORT_LENGTH_MEDIAN,
} from './vocabulary';

export interface GenProject {
  code: string;
  name: string;
  nameEn: string;
  description: string;
  sector: Sector;
  type: ProjectType;
  status: Status;
  statusChangedOn: string;
  owner: string | null;
  plannedStart: string | null;
  plannedCompletion: string | null;
  lengthKm: string | null;
  total: {
    amount: string;
    currency: 'VND' | ForeignCurrency;
    rate: string | null;
    rateDate: string | null;
    note: string | null;
  } | null;
  tasks: string[]; // `${planCode}|${taskCode}`
  locations: { name: string; level: LocationLevel; description: string | null; geometry: unknown }[];
  history: { status: Status; effectiveOn: string; note: string | null }[];
  allocations: {
    source: string;
    financier: string | null;
    amount: string | null;
    currency: 'VND' | ForeignCurrency;
    rate: string | null;
    rateDate: string | null;
    rateNote: string | null;
    status: AllocationStatus;
    fiscalYear: number | null;
    note: string | null;
  }[];
  citation: number | null;
}

export interface ProjectContext {
  seed: number;
  plans: GenPlan[];
  provinces: Province[];
  /** Plan index of each project, by project index. */
  planOf: Int32Array;
}

function companyName(rng: Rng) {
  return `${pick(rng, COMPANY_FORMS)} ${pick(rng, COMPANY_WORDS)}`;
}

function financierFor(
  rng: Rng,
  source: string,
  province: Province,
): { name: string | null; currency: 'VND' | ForeignCurrency } {
  switch (source) {
    case 'ODA': {
      const lender = pickLender(rng);
      return { name: lender.name, currency: chance(rng, 0.8) ? lender.currency : 'VND' };
    }
    case 'CENTRAL_BUDGET':
      return {
        name: pick(rng, [
          'Ngân sách trung ương',
          'Ngân sách trung ương (vốn đầu tư công trung hạn)',
          'Chương trình mục tiêu quốc gia',
        ]),
        currency: 'VND',
      };
    case 'PROVINCIAL_BUDGET':
      return { name: `Ngân sách tỉnh ${province.name}`, currency: 'VND' };
    case 'PPP': {
      const name = chance(rng, 0.6)
        ? `Liên danh ${companyName(rng)} – ${companyName(rng)}`
        : `Nhà đầu tư BOT: ${companyName(rng)}`;
      return { name, currency: chance(rng, 0.1) ? 'USD' : 'VND' };
    }
    case 'LAND_VALUE_CAPTURE':
      return { name: `Trung tâm Phát triển quỹ đất tỉnh ${province.name}`, currency: 'VND' };
    case 'PRIVATE':
      return { name: companyName(rng), currency: chance(rng, 0.05) ? 'USD' : 'VND' };
    default:
      return chance(rng, 0.5)
        ? { name: `Quỹ Đầu tư phát triển tỉnh ${province.name}`, currency: 'VND' }
        : { name: null, currency: 'VND' };
  }
}

export function generateProject(
  rng: Rng,
  index: number,
  width: number,
  ctx: ProjectContext,
  taskCursor: Int32Array,
): GenProject {
  const plan = ctx.plans[ctx.planOf[index]];
  const province = plan.province;
  // Tasks: the plan's tasks in turn (so every task gets projects), then 0-2 more from the same section or plan.
  const cursor = taskCursor[ctx.planOf[index]]++;
  const primary = plan.themedTasks[cursor % plan.themedTasks.length];
  const linked = new Set<GenTask>([primary]);
  const wanted = pickTaskCount(rng);
  for (let attempt = 0; linked.size < wanted && attempt < 6; attempt++) {
    const sameSection = plan.tasks.filter((t) => t.section === primary.section);
    linked.add(chance(rng, 0.6) && sameSection.length > 1 ? pick(rng, sameSection) : pick(rng, plan.tasks));
  }

  const theme = primary.theme;
  const sector = theme && chance(rng, 0.75) ? themeSector(theme)(rng) : pickSector(rng);
  const type = pickType(rng);
  const d = pick(rng, province.districts);
  const d2 = pick(
    rng,
    province.districts.filter((x) => x !== d),
  );
  const c = commune(rng);
  const r = pick(rng, RIVERS);
  const median = TRANSPORT_LENGTH_MEDIAN[sector];
  const length =
    median !== undefined && chance(rng, 0.6)
      ? Math.max(0.2, Math.round(median * Math.exp(0.8 * normal(rng)) * 10) / 10)
      : null;
  const names = projectNames(rng, sector, province, d, d2, c, r, length);

  // Status history first; planned dates agree with it.
  const final = pickFinalStatus(rng);
  const history = generateHistory(rng, final);
  const ucEntry = history.find((h) => h.status === 'UNDER_CONSTRUCTION');
  const completedEntry = history.find((h) => h.status === 'COMPLETED');
  const minStart = toDay('2020-01-01');
  const maxDay = toDay('2040-12-31');
  let start: number;
  let completion: number;
  if (ucEntry) {
    start = chance(rng, 0.6) ? ucEntry.day : Math.max(minStart, ucEntry.day - int(rng, 0, 180));
    completion = completedEntry
      ? Math.max(start + 30, completedEntry.day - int(rng, 0, 365))
      : start + int(rng, 365, 6 * 365);
  } else {
    const lastDay = history[history.length - 1].day;
    start = Math.min(
      toDay('2040-06-30'),
      Math.max(minStart, lastDay + (final === 'PLANNED' ? int(rng, 180, 5000) : int(rng, 90, 2500))),
    );
    completion = start + int(rng, 365, 8 * 365);
  }
  completion = Math.min(completion, maxDay);
  const unknownDates = rng();
  const plannedStart = unknownDates < 0.07 ? null : isoDay(start);
  const plannedCompletion = unknownDates < 0.1 ? null : isoDay(completion);

  // Total investment: log-normal, median about VND 200 billion, between 50 million and 100 trillion.
  const vnd = Math.min(1e14, Math.max(5e7, 10 ** (11.3 + 0.95 * normal(rng))));
  let total: GenProject['total'] = null;
  if (chance(rng, 0.9)) {
    if (chance(rng, 0.03)) {
      const rate = drawRate(rng, 'USD');
      total = {
        amount: hundredths(Math.max(100, Math.round((vnd / rate.value) * 100))),
        currency: 'USD',
        rate: rate.text,
        rateDate: plannedStart ?? isoDay(history[0].day),
        note: 'Tổng mức đầu tư quy đổi theo tỷ giá tổng hợp (synthetic).',
      };
    } else {
      total = { amount: roundVnd(vnd), currency: 'VND', rate: null, rateDate: null, note: null };
    }
  }

  // Owner: the lead department of its task, the province's project board, the province, a central body, or unknown.
  const ownerRoll = rng();
  const lead = primary.holder?.assignments[0]?.agency ?? null;
  const owner =
    ownerRoll < 0.05
      ? null
      : ownerRoll < 0.45 && lead
        ? lead
        : ownerRoll < 0.8
          ? `${province.code}.BQLDA`
          : ownerRoll < 0.9
            ? `${province.code}.UBND`
            : sector.startsWith('TRANSPORT_RAIL')
              ? 'SYN-VN.BQLDSDT'
              : sector === 'TRANSPORT_ROAD' && chance(rng, 0.5)
                ? 'SYN-VN.VEC'
                : pick(rng, ['SYN-VN.BGTVT', 'SYN-VN.BXD', 'SYN-VN.BNNPTNT']);

  // Locations: corridor or province, then district, then commune or site.
  const locations: GenProject['locations'] = [];
  const nLocations = pickLocationCount(rng);
  const point = () =>
    chance(rng, 0.3)
      ? {
          type: 'Point',
          coordinates: [Math.round((104 + rng() * 4.5) * 1e6) / 1e6, Math.round((9 + rng() * 12) * 1e6) / 1e6],
        }
      : null;
  locations.push(
    length !== null
      ? {
          name: `${d} – ${d2}`,
          level: 'CORRIDOR',
          description: `Tuyến dài khoảng ${length} km qua tỉnh ${province.name}`,
          geometry: null,
        }
      : { name: province.jurisdiction, level: 'PROVINCE', description: null, geometry: null },
  );
  if (nLocations >= 2) {
    const kind = pick(rng, ['Huyện', 'Thị xã', 'Thành phố']);
    locations.push({
      name: `${kind} ${d}, tỉnh ${province.name}`,
      level: 'DISTRICT',
      description: null,
      geometry: null,
    });
  }
  if (nLocations >= 3) {
    locations.push(
      chance(rng, 0.7)
        ? { name: `Xã ${c}, huyện ${d}`, level: 'COMMUNE', description: null, geometry: point() }
        : {
            name: `Khu đất dự án ${c}`,
            level: 'SITE',
            description: `Khu đất tại xã ${c}, huyện ${d}`,
            geometry: point(),
          },
    );
  }

  // Funding: shares of the total (or their own draws when the total is unknown), in the lender's currency.
  const allocations: GenProject['allocations'] = [];
  const nAllocations = pickAllocationCount(rng);
  const weights = Array.from({ length: nAllocations }, () => 0.2 + rng());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const coverage = 0.6 + 0.4 * rng();
  const firstYear = yearOf(plannedStart ? toDay(plannedStart) : history[0].day) - 1;
  const lastYear = Math.max(firstYear, yearOf(plannedCompletion ? toDay(plannedCompletion) : completion));
  const statusOf = ALLOCATION_STATUS_BY_PROJECT[final];
  for (let i = 0; i < nAllocations; i++) {
    const source = pickFundingSource(rng);
    const financier = financierFor(rng, source, province);
    const share = (vnd * coverage * weights[i]) / weightSum;
    const fiscalYear = chance(rng, 0.08) ? null : Math.min(2040, Math.max(2016, int(rng, firstYear, lastYear)));
    const unknown = chance(rng, 0.05);
    let amount: string | null = null;
    let rate: string | null = null;
    let rateDate: string | null = null;
    if (!unknown) {
      if (financier.currency === 'VND') {
        amount = roundVnd(share);
      } else {
        const drawn = drawRate(rng, financier.currency);
        rate = drawn.text;
        rateDate = isoDay(dayBetween(rng, `${fiscalYear ?? 2024}-01-02`, `${fiscalYear ?? 2024}-12-31`));
        amount = hundredths(Math.max(100, Math.round((share / drawn.value) * 100)));
      }
    }
    allocations.push({
      source,
      financier: financier.name,
      amount,
      currency: financier.currency,
      rate,
      rateDate,
      rateNote: rate ? 'synthetic' : null,
      status: statusOf(rng),
      fiscalYear,
      note: unknown ? 'Chưa công bố số vốn (dữ liệu tổng hợp).' : null,
    });
  }

  const code = `SYN-PRJ-${String(index + 1).padStart(width, '0')}`;
  const last = history[history.length - 1];
  const taskCodes = [...linked].map((t) => `${plan.code}|${t.code}`);
  return {
    code,
    name: names.vi,
    nameEn: names.en,
    description:
      `${names.vi} tại huyện ${d}, tỉnh ${province.name}; quy mô: ${names.scale}. ` +
      `Thực hiện nhiệm vụ ${primary.code} của kế hoạch ${plan.code}. Dữ liệu tổng hợp phục vụ kiểm thử, không phải dự án có thật.`,
    sector,
    type,
    status: last.status,
    statusChangedOn: isoDay(last.day),
    owner,
    plannedStart,
    plannedCompletion,
    lengthKm: length === null ? null : length.toFixed(1),
    total,
    tasks: taskCodes,
    locations,
    history: history.map((h) => ({ status: h.status, effectiveOn: isoDay(h.day), note: h.note })),
    allocations,
    citation: chance(rng, 0.02) ? int(rng, 0, SOURCE_COUNT - 1) : null,
  };
}
