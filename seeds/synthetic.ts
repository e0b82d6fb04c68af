import { createHash } from 'node:crypto';
import { count, inArray, like, or, sql } from 'drizzle-orm';
import type { Db } from '../src/db/client';
import {
  agencies,
  agencySuccessions,
  fundingAllocations,
  fundingSources,
  planSections,
  planTargets,
  planTasks,
  plans,
  projectLocations,
  projectSources,
  projectStatusChanges,
  projectTasks,
  projects,
  sectionAssignments,
  sourceReferences,
  taskAssignments,
} from '../src/db/schema';
import { seedDatabase } from './load';

/**
 * A synthetic, national-size portfolio for load tests and benchmarks: plans with section trees and assigned tasks,
 * about 200 agencies with successions, and any number of projects with locations, status histories and funding.
 * Every code starts with `SYN-` so it never mixes with the real data, and everything is drawn from a seeded PRNG:
 * the same seed and size give the same rows on any fresh database.
 */

export const SYNTHETIC_PREFIX = 'SYN-';
/** Synthetic sources live under this address (a reserved TLD: it never resolves). */
export const SYNTHETIC_SOURCE_URL = 'https://synthetic.example.invalid/';
/** "Today" of the synthetic world: no status change happens after it. */
const REFERENCE_DAY = '2026-06-30';

export interface SyntheticOptions {
  projects: number;
  seed: number;
  onProgress?: (done: number, total: number, phase: string) => void;
}

export interface SyntheticReport {
  plans: number;
  sections: number;
  tasks: number;
  agencies: number;
  successions: number;
  projects: number;
  allocations: number;
  statusChanges: number;
  locations: number;
  taskLinks: number;
}

export class SyntheticDataError extends Error {
  override name = 'SyntheticDataError';
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Sector = (typeof projects.$inferInsert)['sector'];
type ProjectType = (typeof projects.$inferInsert)['type'];
type Status = (typeof projects.$inferInsert)['status'];
type AllocationStatus = (typeof fundingAllocations.$inferInsert)['status'];
type LocationLevel = (typeof projectLocations.$inferInsert)['level'];
type AgencyKind = (typeof agencies.$inferInsert)['kind'];
type SuccessionKind = (typeof agencySuccessions.$inferInsert)['kind'];
type Role = (typeof taskAssignments.$inferInsert)['role'];

// ---------------------------------------------------------------------------------------------------------------
// Randomness: mulberry32 seeded from a hash of the seed, so any safe integer is a good seed.

export type Rng = () => number;

function hashSeed(text: string): number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream for one part of the data, so adding draws to one part never shifts another. */
const stream = (seed: number, name: string): Rng => mulberry32(hashSeed(`${seed}:${name}`));

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const chance = (rng: Rng, p: number) => rng() < p;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];

function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function weighted<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return (rng) => {
    let r = rng() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  };
}

function shuffle<T>(rng: Rng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function sample<T>(rng: Rng, list: readonly T[], n: number): T[] {
  return shuffle(rng, [...list]).slice(0, Math.min(n, list.length));
}

// ---------------------------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01, UTC), formatted YYYY-MM-DD.

const DAY_MS = 86_400_000;
const toDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const yearOf = (day: number) => new Date(day * DAY_MS).getUTCFullYear();
const REF = toDay(REFERENCE_DAY);
const dayBetween = (rng: Rng, from: string | number, to: string | number) =>
  int(rng, typeof from === 'number' ? from : toDay(from), typeof to === 'number' ? to : toDay(to));

// ---------------------------------------------------------------------------------------------------------------
// Money: whole-unit decimal strings, never floats in the database.

/** An integer number of hundredths as a decimal string: 12345 → "123.45". */
function hundredths(n: number): string {
  const whole = Math.floor(n / 100);
  const frac = n - whole * 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0')}`;
}
/** An integer number of ten-thousandths as a decimal string: 1712345 → "171.2345". */
function tenThousandths(n: number): string {
  const whole = Math.floor(n / 10000);
  return `${whole}.${String(n - whole * 10000).padStart(4, '0')}`;
}
/** A VND amount rounded to a plausible precision, as a string. */
function roundVnd(value: number): string {
  const step = value >= 1e8 ? 1e6 : 1e3;
  return String(Math.max(step, Math.round(value / step) * step));
}

/** Synthetic exchange rates to VND: USD 24,000–26,000, JPY 165–180, EUR 26,000–28,000. */
type ForeignCurrency = 'USD' | 'JPY' | 'EUR';
function drawRate(rng: Rng, currency: ForeignCurrency) {
  const text =
    currency === 'USD'
      ? hundredths(int(rng, 2_400_000, 2_600_000))
      : currency === 'JPY'
        ? tenThousandths(int(rng, 1_650_000, 1_800_000))
        : hundredths(int(rng, 2_600_000, 2_800_000));
  return { text, value: Number(text) };
}

/** VND equivalent computed by PostgreSQL from the exact decimals, rounded to two decimals, as seeds/load.ts does. */
const vndOf = (amount: string, rate: string) => sql`round(cast(${amount} as numeric) * cast(${rate} as numeric), 2)`;

// ---------------------------------------------------------------------------------------------------------------
// Word lists.

const PROVINCE_NAMES = [
  'Lộc Ninh', 'Thủ Dầu Một', 'Bàu Bàng', 'Dĩ An', 'Tân Uyên', 'Bến Cát', 'Phú Giáo', 'Dầu Tiếng', 'Chơn Thành', 'Đồng Xoài',
  'Bù Đăng', 'Phước Long', 'Hớn Quản', 'Trảng Bàng', 'Gò Dầu', 'Đức Hòa', 'Cần Giờ', 'Nhơn Trạch', 'Long Thành', 'Châu Đức',
];
const DISTRICT_NAMES = [
  'Bình Long', 'Bù Đốp', 'Hàm Thuận Nam', 'Đức Linh', 'Tánh Linh', 'Xuân Lộc', 'Định Quán', 'Tân Phú', 'Vĩnh Cửu', 'Cẩm Mỹ',
  'Thống Nhất', 'Long Điền', 'Đất Đỏ', 'Xuyên Mộc', 'Cần Đước', 'Cần Giuộc', 'Bến Lức', 'Thủ Thừa', 'Tân Trụ', 'Châu Thành',
  'Gò Công', 'Chợ Gạo', 'Cai Lậy', 'Cái Bè', 'Mỏ Cày', 'Giồng Trôm', 'Ba Tri', 'Thạnh Phú', 'Trà Cú', 'Cầu Ngang',
  'Duyên Hải', 'Tiểu Cần', 'Long Hồ', 'Mang Thít', 'Vũng Liêm', 'Trà Ôn', 'Tam Bình', 'Bình Minh', 'Lai Vung', 'Lấp Vò',
  'Cao Lãnh', 'Tháp Mười', 'Hồng Ngự', 'Tân Hồng', 'Châu Phú', 'Tịnh Biên', 'Tri Tôn', 'Thoại Sơn', 'Hòn Đất', 'Kiên Lương',
  'Phụng Hiệp', 'Vị Thủy', 'Ngã Năm', 'Mỹ Xuyên', 'Đầm Dơi', 'Năm Căn', 'Ngọc Hiển', 'Quỳnh Lưu', 'Diễn Châu', 'Nghi Lộc',
  'Hương Sơn', 'Cẩm Xuyên', 'Kỳ Anh', 'Bố Trạch', 'Lệ Thủy', 'Gio Linh', 'Hải Lăng', 'Phong Điền', 'Phú Vang', 'Điện Bàn',
  'Thăng Bình', 'Núi Thành', 'Bình Sơn', 'Mộ Đức', 'Đức Phổ', 'Hoài Nhơn', 'Tuy Phước', 'Sông Cầu', 'Ninh Hòa', 'Cam Lâm',
];
const COMMUNE_FIRST = ['Tân', 'Phú', 'Bình', 'An', 'Hòa', 'Long', 'Phước', 'Thạnh', 'Đông', 'Tây', 'Vĩnh', 'Mỹ', 'Hưng', 'Thới', 'Lạc', 'Định', 'Hiệp', 'Trung'];
const COMMUNE_SECOND = ['Lập', 'Hưng', 'Thành', 'Phú', 'Định', 'An', 'Hòa', 'Lợi', 'Mỹ', 'Đức', 'Khánh', 'Thuận', 'Xuân', 'Điền', 'Sơn', 'Tiến', 'Nghĩa', 'Quới'];
const RIVERS = ['Sài Gòn', 'Đồng Nai', 'Bé', 'Thị Tính', 'Vàm Cỏ Đông', 'Tiền', 'Hậu', 'Cổ Chiên', 'Hàm Luông', 'Lam', 'Gianh', 'Thu Bồn', 'Trà Khúc', 'Ba', 'Cái', 'La Ngà'];
const HIGHWAYS = ['1A', '13', '14', '20', '22', '27', '50', '51', '55', '56', '60', '62', '80', '91', '14C', '1K'];
const LETTERS = ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x', 'y'];

interface Department {
  code: string;
  name: string;
  nameEn: string;
  kind: AgencyKind;
}
const DEPARTMENTS: Department[] = [
  { code: 'SGTVT', name: 'Sở Giao thông vận tải', nameEn: 'Department of Transport', kind: 'DEPARTMENT' },
  { code: 'SXD', name: 'Sở Xây dựng', nameEn: 'Department of Construction', kind: 'DEPARTMENT' },
  { code: 'SKHDT', name: 'Sở Kế hoạch và Đầu tư', nameEn: 'Department of Planning and Investment', kind: 'DEPARTMENT' },
  { code: 'STC', name: 'Sở Tài chính', nameEn: 'Department of Finance', kind: 'DEPARTMENT' },
  { code: 'STNMT', name: 'Sở Tài nguyên và Môi trường', nameEn: 'Department of Natural Resources and Environment', kind: 'DEPARTMENT' },
  { code: 'SNNPTNT', name: 'Sở Nông nghiệp và Phát triển nông thôn', nameEn: 'Department of Agriculture and Rural Development', kind: 'DEPARTMENT' },
  { code: 'SCT', name: 'Sở Công Thương', nameEn: 'Department of Industry and Trade', kind: 'DEPARTMENT' },
];
const MERGED_DEPARTMENT: Department = {
  code: 'SNNMT',
  name: 'Sở Nông nghiệp và Môi trường',
  nameEn: 'Department of Agriculture and Environment',
  kind: 'DEPARTMENT',
};
const RENAMED_DEPARTMENT: Department = {
  code: 'SGTCC',
  name: 'Sở Giao thông công chính',
  nameEn: 'Department of Transport and Public Works',
  kind: 'DEPARTMENT',
};
/** 2025-03-01 restructuring: predecessor department → successor department. */
const DEPARTMENT_MERGERS: [string, string][] = [
  ['SKHDT', 'STC'],
  ['SGTVT', 'SXD'],
  ['STNMT', 'SNNMT'],
  ['SNNPTNT', 'SNNMT'],
];

interface Theme {
  heading: string;
  leads: string[];
  sectors: readonly (readonly [Sector, number])[];
  objects: string[];
}
const THEMES: readonly (readonly [Theme, number])[] = [
  [{ heading: 'Phát triển hạ tầng giao thông đường bộ, kết nối liên vùng', leads: ['SGTVT'], sectors: [['TRANSPORT_ROAD', 9], ['TRANSPORT', 1]], objects: ['đường cao tốc', 'quốc lộ', 'đường vành đai', 'đường tỉnh', 'cầu', 'nút giao khác mức'] }, 9],
  [{ heading: 'Phát triển hạ tầng đường sắt và đường sắt đô thị', leads: ['SGTVT', 'SXD'], sectors: [['TRANSPORT_RAIL', 5], ['TRANSPORT_URBAN', 5]], objects: ['đường sắt', 'đường sắt đô thị', 'nhà ga', 'tuyến xe buýt nhanh'] }, 4],
  [{ heading: 'Phát triển giao thông đô thị, giao thông công cộng và giao thông xanh', leads: ['SGTVT', 'SXD'], sectors: [['TRANSPORT_URBAN', 7], ['TRANSPORT_LOW_CARBON', 3]], objects: ['giao thông công cộng', 'xe buýt điện', 'nút giao thông', 'cầu vượt'] }, 4],
  [{ heading: 'Phát triển hạ tầng cấp nước, thoát nước và xử lý nước thải', leads: ['SXD', 'STNMT'], sectors: [['WATER_AND_WASTE', 10]], objects: ['thoát nước', 'xử lý nước thải', 'cấp nước', 'xử lý chất thải rắn'] }, 7],
  [{ heading: 'Phát triển hạ tầng thủy lợi, phòng, chống thiên tai, thích ứng với biến đổi khí hậu', leads: ['SNNPTNT', 'STNMT'], sectors: [['NATURAL_RESOURCES_FLOOD_PROTECTION', 7], ['NATURAL_RESOURCES', 3]], objects: ['kè chống sạt lở', 'hồ chứa nước', 'đê bao chống ngập', 'rừng phòng hộ'] }, 3],
  [{ heading: 'Phát triển hạ tầng năng lượng, năng lượng tái tạo', leads: ['SCT'], sectors: [['ENERGY', 3], ['ENERGY_SOLAR', 3], ['ENERGY_WIND', 2], ['ENERGY_HYDROPOWER', 1], ['ENERGY_BIOMASS', 0.5], ['ENERGY_GEOTHERMAL', 0.2]], objects: ['lưới điện', 'điện mặt trời', 'điện gió', 'trạm biến áp'] }, 3],
  [{ heading: 'Phát triển hạ tầng đường thủy nội địa, cảng và logistics', leads: ['SGTVT', 'SCT'], sectors: [['TRANSPORT_WATER', 6], ['TRANSPORT', 3], ['TRANSPORT_AIR', 1]], objects: ['luồng đường thủy nội địa', 'cảng thủy nội địa', 'trung tâm logistics', 'cảng hàng không'] }, 2],
  [{ heading: 'Phát triển hạ tầng giáo dục, y tế', leads: ['SXD', 'SKHDT'], sectors: [['EDUCATION', 5], ['HEALTH', 4]], objects: ['trường học', 'bệnh viện', 'trung tâm y tế'] }, 3],
  [{ heading: 'Phát triển hạ tầng văn hóa, thể thao và nhà ở xã hội', leads: ['SXD'], sectors: [['CULTURE_SPORTS_AND_RECREATION', 4], ['SOCIAL_HOUSING', 6]], objects: ['nhà ở xã hội', 'nhà thi đấu', 'công viên'] }, 2],
  [{ heading: 'Phát triển hạ tầng số, chuyển đổi số', leads: ['SCT', 'SKHDT'], sectors: [['COMMUNICATIONS', 7], ['GOVERNANCE', 3]], objects: ['hạ tầng số', 'trung tâm dữ liệu', 'cáp quang băng rộng'] }, 2],
  [{ heading: 'Huy động và sử dụng có hiệu quả nguồn lực đầu tư, phát triển khu công nghiệp', leads: ['SKHDT', 'STC'], sectors: [['ECONOMY', 6], ['TRANSPORT_ROAD', 2], ['GOVERNANCE', 2]], objects: ['khu công nghiệp', 'hạ tầng kỹ thuật', 'chợ đầu mối'] }, 3],
];
const pickTheme = weighted(THEMES);
const themeSectorPickers = new Map<Theme, (rng: Rng) => Sector>(THEMES.map(([theme]) => [theme, weighted(theme.sectors)]));
const themeSector = (theme: Theme) => themeSectorPickers.get(theme)!;

const SECTOR_WEIGHTS: readonly (readonly [Sector, number])[] = [
  ['TRANSPORT_ROAD', 30], ['WATER_AND_WASTE', 14], ['TRANSPORT_URBAN', 10], ['TRANSPORT_RAIL', 5], ['TRANSPORT_WATER', 4],
  ['TRANSPORT', 3], ['TRANSPORT_AIR', 1], ['TRANSPORT_LOW_CARBON', 2], ['EDUCATION', 5], ['HEALTH', 4], ['ENERGY', 3],
  ['ENERGY_SOLAR', 3], ['ENERGY_WIND', 2], ['ENERGY_HYDROPOWER', 1.5], ['ENERGY_BIOMASS', 0.5], ['ENERGY_GEOTHERMAL', 0.2],
  ['COMMUNICATIONS', 2], ['GOVERNANCE', 1.5], ['ECONOMY', 3], ['CULTURE_SPORTS_AND_RECREATION', 2], ['SOCIAL_HOUSING', 3],
  ['NATURAL_RESOURCES', 1.5], ['NATURAL_RESOURCES_FLOOD_PROTECTION', 3],
];
const pickSector = weighted(SECTOR_WEIGHTS);
const pickType = weighted<ProjectType>([['CONSTRUCTION', 55], ['REHABILITATION', 18], ['EXPANSION', 15], ['REPLACEMENT', 7], ['DECOMMISSIONING', 1]]);
const pickFinalStatus = weighted<Status>([
  ['PLANNED', 14], ['PREPARATION', 17], ['APPROVED', 16], ['UNDER_CONSTRUCTION', 26], ['COMPLETED', 17], ['SUSPENDED', 5], ['CANCELLED', 5],
]);
const pickAllocationCount = weighted<number>([[1, 6], [2, 9], [3, 12], [4, 15], [5, 16], [6, 14], [7, 12], [8, 9], [9, 7]]);
const pickLocationCount = weighted<number>([[1, 30], [2, 45], [3, 25]]);
const pickTaskCount = weighted<number>([[1, 35], [2, 40], [3, 25]]);
const pickFundingSource = weighted<string>([
  ['PROVINCIAL_BUDGET', 30], ['CENTRAL_BUDGET', 25], ['ODA', 12], ['PPP', 10], ['PRIVATE', 8], ['LAND_VALUE_CAPTURE', 7], ['OTHER', 8],
]);
const FUNDING_CODES = ['ODA', 'CENTRAL_BUDGET', 'PROVINCIAL_BUDGET', 'PPP', 'LAND_VALUE_CAPTURE', 'PRIVATE', 'OTHER'];
const ODA_LENDERS: readonly (readonly [{ name: string; currency: ForeignCurrency }, number])[] = [
  [{ name: 'World Bank', currency: 'USD' }, 4],
  [{ name: 'ADB', currency: 'USD' }, 3],
  [{ name: 'JICA', currency: 'JPY' }, 4],
  [{ name: 'KfW', currency: 'EUR' }, 1.5],
  [{ name: 'AFD', currency: 'EUR' }, 1.5],
  [{ name: 'EIB', currency: 'EUR' }, 0.5],
  [{ name: 'Korea Eximbank (EDCF)', currency: 'USD' }, 1],
];
const pickLender = weighted(ODA_LENDERS);
const COMPANY_WORDS = ['Sông Đà', 'Đèo Cả', 'Phương Thành', 'Hoàng Long', 'Thuận An', 'Bắc Nam', 'Trường Sơn', 'Cửu Long', 'Hưng Thịnh', 'Phú Mỹ', 'Tân Cảng', 'Đông Á', 'Hải Vân', 'Sao Việt', 'Kiến Phát', 'Đại Dương'];
const COMPANY_FORMS = ['Công ty Cổ phần Đầu tư', 'Công ty Cổ phần Xây dựng', 'Tổng công ty Xây dựng', 'Công ty TNHH Phát triển hạ tầng', 'Công ty Cổ phần Tập đoàn'];
const ALLOCATION_STATUS_BY_PROJECT: Record<Status, (rng: Rng) => AllocationStatus> = {
  PLANNED: weighted<AllocationStatus>([['PROPOSED', 70], ['PLANNED', 30]]),
  PREPARATION: weighted<AllocationStatus>([['PROPOSED', 50], ['PLANNED', 45], ['COMMITTED', 5]]),
  APPROVED: weighted<AllocationStatus>([['PROPOSED', 10], ['PLANNED', 40], ['COMMITTED', 50]]),
  UNDER_CONSTRUCTION: weighted<AllocationStatus>([['PLANNED', 10], ['COMMITTED', 45], ['DISBURSED', 45]]),
  COMPLETED: weighted<AllocationStatus>([['COMMITTED', 15], ['DISBURSED', 85]]),
  SUSPENDED: weighted<AllocationStatus>([['PLANNED', 20], ['COMMITTED', 50], ['DISBURSED', 30]]),
  CANCELLED: weighted<AllocationStatus>([['PROPOSED', 50], ['PLANNED', 40], ['COMMITTED', 10]]),
};
const TRANSPORT_LENGTH_MEDIAN: Partial<Record<Sector, number>> = {
  TRANSPORT_ROAD: 12,
  TRANSPORT_RAIL: 40,
  TRANSPORT_URBAN: 9,
  TRANSPORT_WATER: 25,
  TRANSPORT_LOW_CARBON: 15,
  TRANSPORT: 6,
};

const commune = (rng: Rng) => `${pick(rng, COMMUNE_FIRST)} ${pick(rng, COMMUNE_SECOND)}`;

// ---------------------------------------------------------------------------------------------------------------
// Agencies.

interface Province {
  index: number; // 0-based
  code: string; // SYN-P01
  name: string; // Lộc Ninh
  jurisdiction: string; // Tỉnh Lộc Ninh
  districts: string[];
  /** Did its departments merge on 2025-03-01? */
  restructured: boolean;
  /** Was its transport department renamed from the Department of Transport and Public Works in 2016? */
  renamed: boolean;
  /** The province it merged into on 2025-07-01, if any. */
  absorbedInto: Province | null;
}

interface GenAgency {
  code: string;
  name: string;
  nameEn: string;
  kind: AgencyKind;
  jurisdictionCode: string;
  jurisdiction: string;
  validFrom: string | null;
  validTo: string | null;
}
interface GenSuccession {
  predecessor: string;
  successor: string;
  kind: SuccessionKind;
  effectiveOn: string;
  reason: string;
}

const RESTRUCTURE_DAY = '2025-03-01';
const PROVINCE_MERGER_DAY = '2025-07-01';
const RENAME_DAY = '2016-01-01';

function generateAgencies(seed: number) {
  const rng = stream(seed, 'agencies');
  const provinces: Province[] = PROVINCE_NAMES.map((name, index) => ({
    index,
    code: `SYN-P${String(index + 1).padStart(2, '0')}`,
    name,
    jurisdiction: `Tỉnh ${name}`,
    districts: sample(rng, DISTRICT_NAMES, 6),
    restructured: false,
    renamed: false,
    absorbedInto: null,
  }));
  const order = shuffle(rng, provinces.map((p) => p.index));
  const absorbed = order.slice(0, 6);
  const kept = order.slice(6);
  absorbed.forEach((i, k) => (provinces[i].absorbedInto = provinces[kept[k % kept.length]]));
  for (const p of provinces) p.restructured = chance(rng, 0.65);
  // Guarantee chains of length 3: renamed → merged department → transferred to the absorbing province.
  provinces[absorbed[0]].restructured = true;
  provinces[absorbed[1]].restructured = true;
  provinces[absorbed[0]].renamed = true;
  for (const i of kept.slice(0, 2)) provinces[i].renamed = true;

  const list: GenAgency[] = [];
  const successions: GenSuccession[] = [];
  const byCode = new Map<string, GenAgency>();
  const add = (a: GenAgency) => {
    list.push(a);
    byCode.set(a.code, a);
    return a;
  };
  const end = (code: string, day: string) => {
    const agency = byCode.get(code)!;
    // Most predecessors carry the day they ceased; some are left open, as real records often are.
    if (chance(rng, 0.85)) agency.validTo = day;
  };

  const central = (code: string, name: string, nameEn: string, kind: AgencyKind, validFrom: string | null = null) =>
    add({ code: `SYN-VN.${code}`, name, nameEn, kind, jurisdictionCode: 'SYN-VN', jurisdiction: 'Việt Nam (dữ liệu tổng hợp)', validFrom, validTo: null });
  central('BGTVT', 'Bộ Giao thông vận tải (tổng hợp)', 'Ministry of Transport (synthetic)', 'MINISTRY');
  central('BXD', 'Bộ Xây dựng (tổng hợp)', 'Ministry of Construction (synthetic)', 'MINISTRY');
  central('BKHDT', 'Bộ Kế hoạch và Đầu tư (tổng hợp)', 'Ministry of Planning and Investment (synthetic)', 'MINISTRY');
  central('BTC', 'Bộ Tài chính (tổng hợp)', 'Ministry of Finance (synthetic)', 'MINISTRY');
  central('BTNMT', 'Bộ Tài nguyên và Môi trường (tổng hợp)', 'Ministry of Natural Resources and Environment (synthetic)', 'MINISTRY');
  central('BNNPTNT', 'Bộ Nông nghiệp và Phát triển nông thôn (tổng hợp)', 'Ministry of Agriculture and Rural Development (synthetic)', 'MINISTRY');
  central('BNNMT', 'Bộ Nông nghiệp và Môi trường (tổng hợp)', 'Ministry of Agriculture and Environment (synthetic)', 'MINISTRY', RESTRUCTURE_DAY);
  central('VEC', 'Tổng công ty Đầu tư phát triển đường cao tốc (tổng hợp)', 'Expressway Development Corporation (synthetic)', 'STATE_ENTERPRISE');
  central('BQLDSDT', 'Ban Quản lý dự án đường sắt (tổng hợp)', 'Railway Project Management Unit (synthetic)', 'PROJECT_MANAGEMENT_BOARD');
  for (const [from, to] of [['BGTVT', 'BXD'], ['BKHDT', 'BTC'], ['BTNMT', 'BNNMT'], ['BNNPTNT', 'BNNMT']] as const) {
    successions.push({
      predecessor: `SYN-VN.${from}`,
      successor: `SYN-VN.${to}`,
      kind: 'MERGER',
      effectiveOn: RESTRUCTURE_DAY,
      reason: `Hợp nhất ${byCode.get(`SYN-VN.${from}`)!.name} vào ${byCode.get(`SYN-VN.${to}`)!.name} (dữ liệu tổng hợp).`,
    });
    end(`SYN-VN.${from}`, RESTRUCTURE_DAY);
  }

  for (const p of provinces) {
    const agency = (code: string, name: string, nameEn: string, kind: AgencyKind, validFrom: string | null = null) =>
      add({ code: `${p.code}.${code}`, name, nameEn, kind, jurisdictionCode: p.code, jurisdiction: p.jurisdiction, validFrom, validTo: null });
    agency('UBND', `Ủy ban nhân dân tỉnh ${p.name}`, `${p.name} Provincial People's Committee`, 'PEOPLES_COMMITTEE');
    for (const d of DEPARTMENTS) {
      agency(d.code, `${d.name} tỉnh ${p.name}`, `${p.name} ${d.nameEn}`, d.kind, d.code === 'SGTVT' && p.renamed ? RENAME_DAY : null);
    }
    agency('BQLDA', `Ban Quản lý dự án đầu tư xây dựng tỉnh ${p.name}`, `${p.name} Construction Investment Project Management Board`, 'PROJECT_MANAGEMENT_BOARD');
    if (p.renamed) {
      agency(RENAMED_DEPARTMENT.code, `${RENAMED_DEPARTMENT.name} tỉnh ${p.name}`, `${p.name} ${RENAMED_DEPARTMENT.nameEn}`, 'DEPARTMENT', '2008-04-01');
      successions.push({
        predecessor: `${p.code}.SGTCC`,
        successor: `${p.code}.SGTVT`,
        kind: 'RENAME',
        effectiveOn: RENAME_DAY,
        reason: `Đổi tên Sở Giao thông công chính tỉnh ${p.name} thành Sở Giao thông vận tải (dữ liệu tổng hợp).`,
      });
      byCode.get(`${p.code}.SGTCC`)!.validTo = RENAME_DAY;
    }
    if (p.restructured) {
      agency(MERGED_DEPARTMENT.code, `${MERGED_DEPARTMENT.name} tỉnh ${p.name}`, `${p.name} ${MERGED_DEPARTMENT.nameEn}`, 'DEPARTMENT', RESTRUCTURE_DAY);
      for (const [from, to] of DEPARTMENT_MERGERS) {
        successions.push({
          predecessor: `${p.code}.${from}`,
          successor: `${p.code}.${to}`,
          kind: 'MERGER',
          effectiveOn: RESTRUCTURE_DAY,
          reason: `Hợp nhất ${byCode.get(`${p.code}.${from}`)!.name} vào ${byCode.get(`${p.code}.${to}`)!.name} (dữ liệu tổng hợp).`,
        });
        end(`${p.code}.${from}`, RESTRUCTURE_DAY);
      }
    }
  }

  // 2025-07-01: six provinces merge into a neighbour; their bodies transfer to the neighbour's matching body.
  const currentCode = (p: Province, code: string): string => {
    if (!p.restructured) return code;
    const merged = DEPARTMENT_MERGERS.find(([from]) => from === code);
    return merged ? merged[1] : code;
  };
  for (const p of provinces) {
    const target = p.absorbedInto;
    if (!target) continue;
    const active = ['UBND', ...DEPARTMENTS.map((d) => d.code), 'BQLDA', ...(p.restructured ? ['SNNMT'] : [])].filter(
      (code) => currentCode(p, code) === code,
    );
    for (const code of active) {
      const successor = `${target.code}.${currentCode(target, code === 'SNNMT' ? 'STNMT' : code)}`;
      successions.push({
        predecessor: `${p.code}.${code}`,
        successor,
        kind: code === 'UBND' ? 'MERGER' : 'TRANSFER',
        effectiveOn: PROVINCE_MERGER_DAY,
        reason:
          code === 'UBND'
            ? `Sáp nhập tỉnh ${p.name} vào tỉnh ${target.name} (dữ liệu tổng hợp).`
            : `Chuyển giao nhiệm vụ của ${byCode.get(`${p.code}.${code}`)!.name} cho ${byCode.get(successor)!.name} (dữ liệu tổng hợp).`,
      });
      end(`${p.code}.${code}`, PROVINCE_MERGER_DAY);
    }
  }
  return { provinces, agencies: list, successions };
}

// ---------------------------------------------------------------------------------------------------------------
// Plans.

interface GenSection {
  number: string;
  parent: string | null;
  heading: string;
  body: string | null;
  level: number;
  assignments: { agency: string; role: Role }[];
  tasks: string[];
  theme: Theme | null;
}
interface GenTask {
  code: string;
  section: GenSection;
  /** The section whose text assigns the task (null: it falls to the plan's issuer). */
  holder: GenSection | null;
  theme: Theme | null;
}
interface GenPlan {
  code: string;
  title: string;
  titleEn: string;
  issuedOn: string;
  issuer: string;
  province: Province;
  sections: GenSection[];
  tasks: GenTask[];
  /** The tasks of section II, which projects carry out (section I's tasks are general duties). */
  themedTasks: GenTask[];
}

const VERBS = ['Đầu tư xây dựng', 'Nâng cấp, mở rộng', 'Hoàn thành đầu tư', 'Triển khai thực hiện', 'Nghiên cứu, đề xuất đầu tư', 'Cải tạo, nâng cấp', 'Đẩy nhanh tiến độ', 'Huy động nguồn lực để đầu tư', 'Rà soát, cập nhật quy hoạch'];
const DEADLINES = ['trong giai đoạn 2026 - 2030', 'hoàn thành trước năm 2030', 'định hướng đến năm 2035', 'trong giai đoạn 2021 - 2025', 'đến năm 2030, tầm nhìn đến năm 2045', 'theo lộ trình được phê duyệt'];
const CONNECTORS = [
  'bảo đảm kết nối đồng bộ với hệ thống hạ tầng vùng Đông Nam Bộ',
  'ưu tiên bố trí vốn ngân sách nhà nước và huy động nguồn lực xã hội',
  'gắn với phát triển đô thị theo định hướng giao thông công cộng (TOD)',
  'thích ứng với biến đổi khí hậu, phòng, chống thiên tai',
  'bảo đảm an ninh nguồn nước và bảo vệ môi trường',
  'phù hợp với quy hoạch tỉnh thời kỳ 2021 - 2030',
];

function generatePlan(rng: Rng, index: number, province: Province, large: boolean): GenPlan {
  const code = `SYN-PLAN-${String(index + 1).padStart(3, '0')}`;
  const issuer = `${province.code}.UBND`;
  const issuedOn = isoDay(dayBetween(rng, '2021-01-15', '2024-12-20'));
  const departments = (codes: string[]) => codes.map((c) => `${province.code}.${c}`);
  const deptName = (agencyCode: string) => DEPARTMENTS.find((d) => agencyCode.endsWith(`.${d.code}`))?.name ?? 'Ban Quản lý dự án';
  const place = () => pick(rng, [...province.districts, province.name]);
  const taskText = (theme: Theme) =>
    `${pick(rng, VERBS)} ${pick(rng, theme.objects)} ${pick(rng, ['tại', 'trên địa bàn', 'đoạn qua', 'khu vực'])} ${place()}` +
    `${chance(rng, 0.5) ? ` – ${place()}` : ''}, ${pick(rng, CONNECTORS)}, ${pick(rng, DEADLINES)}.`;

  const sections: GenSection[] = [];
  const tasks: GenTask[] = [];
  const addTasks = (section: GenSection, n: number, holder: GenSection | null) => {
    for (let i = 0; i < n; i++) {
      const text = section.theme ? taskText(section.theme) : `${pick(rng, ['Quán triệt, tổ chức thực hiện', 'Tăng cường tuyên truyền, giám sát việc thực hiện', 'Lồng ghép với các chương trình, kế hoạch của tỉnh để thực hiện'])} các mục tiêu phát triển kết cấu hạ tầng đồng bộ tỉnh ${province.name}, ${pick(rng, DEADLINES)}.`;
      section.tasks.push(text);
      tasks.push({ code: `${section.number}.${i + 1}`, section, holder, theme: section.theme });
    }
  };

  const first: GenSection = {
    number: 'I',
    parent: null,
    heading: 'ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN',
    body: `Sau hơn 10 năm thực hiện, hệ thống kết cấu hạ tầng của tỉnh ${province.name} từng bước được đầu tư đồng bộ, hiện đại; tuy nhiên còn thiếu kết nối liên vùng, nguồn lực đầu tư còn hạn chế (dữ liệu tổng hợp).`,
    level: 1,
    assignments: [],
    tasks: [],
    theme: null,
  };
  sections.push(first);
  addTasks(first, large ? 2 : int(rng, 0, 2), null);
  sections.push({ number: 'II', parent: null, heading: 'NHIỆM VỤ VÀ GIẢI PHÁP', body: null, level: 1, assignments: [], tasks: [], theme: null });

  const subsections = large ? 8 : int(rng, 3, 7);
  for (let k = 1; k <= subsections; k++) {
    const theme = pickTheme(rng);
    const sub: GenSection = { number: `II.${k}`, parent: 'II', heading: theme.heading, body: null, level: 2, assignments: [], tasks: [], theme };
    sections.push(sub);
    const items = large ? 5 : int(rng, 3, 6);
    for (let j = 0; j < items; j++) {
      const lead = `${province.code}.${pick(rng, theme.leads)}`;
      const others = departments(DEPARTMENTS.map((d) => d.code)).filter((c) => c !== lead);
      let assignments: { agency: string; role: Role }[];
      let heading: string;
      if (chance(rng, 0.7)) {
        const coordinating = sample(rng, others, int(rng, 1, 3));
        assignments = [{ agency: lead, role: 'LEAD' }, ...coordinating.map((agency) => ({ agency, role: 'COORDINATING' as Role }))];
        heading = `${deptName(lead)} chủ trì, phối hợp với ${coordinating.map(deptName).join(', ')} và các đơn vị liên quan tổ chức thực hiện:`;
      } else {
        const implementing = [lead, ...sample(rng, others, int(rng, 1, 3))];
        assignments = implementing.map((agency) => ({ agency, role: 'IMPLEMENTING' as Role }));
        heading = `${implementing.map(deptName).join(', ')} theo chức năng, nhiệm vụ được giao triển khai thực hiện:`;
      }
      const item: GenSection = { number: `II.${k}.${LETTERS[j]}`, parent: sub.number, heading, body: null, level: 3, assignments, tasks: [], theme };
      sections.push(item);
      addTasks(item, large ? int(rng, 10, 15) : int(rng, 3, 9), item);
    }
  }
  // Document order: I, its tasks, II, II.1, II.1.a, ... — sections were pushed in that order.
  const title = `Kế hoạch phát triển kết cấu hạ tầng đồng bộ tỉnh ${province.name} giai đoạn 2021 - 2030, tầm nhìn đến năm 2045 (dữ liệu tổng hợp số ${index + 1})`;
  const titleEn = `Plan for synchronous infrastructure development of ${province.name} province, 2021-2030 with a vision to 2045 (synthetic plan ${index + 1})`;
  return { code, title, titleEn, issuedOn, issuer, province, sections, tasks, themedTasks: tasks.filter((t) => t.theme !== null) };
}

// ---------------------------------------------------------------------------------------------------------------
// Projects.

interface GenProject {
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
  total: { amount: string; currency: 'VND' | ForeignCurrency; rate: string | null; rateDate: string | null; note: string | null } | null;
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

interface Names {
  vi: string;
  en: string;
  scale: string;
}

function projectNames(rng: Rng, sector: Sector, p: Province, d: string, d2: string, c: string, r: string, lengthKm: number | null): Names {
  const km = lengthKm !== null ? `dài khoảng ${String(lengthKm).replace('.', ',')} km` : '';
  const n = (min: number, max: number) => int(rng, min, max);
  const ql = pick(rng, HIGHWAYS);
  const t = (vi: string, en: string, scale: string): Names => ({ vi, en, scale });
  const options: (() => Names)[] = (() => {
    switch (sector) {
      case 'TRANSPORT_ROAD':
        return [
          () => t(`Đầu tư xây dựng đường cao tốc ${d} – ${d2}`, `${d} – ${d2} expressway`, `${km || 'quy mô'} 4 - 6 làn xe`),
          () => t(`Nâng cấp, mở rộng Quốc lộ ${ql} đoạn qua huyện ${d}`, `Upgrading and widening of National Highway ${ql} through ${d} district`, `${km || 'mặt cắt ngang'} 4 làn xe`),
          () => t(`Xây dựng đường vành đai ${n(1, 4)} tỉnh ${p.name}`, `Ring road ${n(1, 4)} of ${p.name} province`, `${km || 'quy mô'} 6 làn xe`),
          () => t(`Cải tạo đường tỉnh ĐT.${n(701, 799)} đoạn ${d} – ${d2}`, `Rehabilitation of provincial road DT.${n(701, 799)}, ${d} – ${d2} section`, km || 'đường cấp III đồng bằng'),
          () => t(`Xây dựng cầu ${c} bắc qua sông ${r}`, `${c} bridge over the ${r} River`, `cầu bê tông cốt thép dự ứng lực dài ${n(120, 1800)} m`),
          () => t(`Nút giao khác mức ${c} trên Quốc lộ ${ql}`, `${c} grade-separated interchange on National Highway ${ql}`, 'nút giao liên thông 3 tầng'),
        ];
      case 'TRANSPORT_RAIL':
        return [
          () => t(`Đầu tư xây dựng tuyến đường sắt ${d} – ${d2}`, `${d} – ${d2} railway`, `${km || 'tuyến'} khổ 1.435 mm, đường đôi`),
          () => t(`Đường sắt ${p.name} – ${d2} (đoạn qua huyện ${d})`, `${p.name} – ${d2} railway (section through ${d} district)`, km || 'đường sắt điện khí hóa'),
        ];
      case 'TRANSPORT_URBAN':
        return [
          () => t(`Tuyến đường sắt đô thị số ${n(1, 6)} ${d} – ${d2}`, `Urban railway line ${n(1, 6)}, ${d} – ${d2}`, `${km || 'tuyến'} với ${n(6, 20)} nhà ga`),
          () => t(`Tuyến xe buýt nhanh (BRT) ${d} – ${d2}`, `${d} – ${d2} bus rapid transit`, km || 'làn xe buýt riêng'),
          () => t(`Cải tạo nút giao thông ${c}, thành phố ${d}`, `Improvement of the ${c} junction, ${d} city`, 'cầu vượt và hầm chui'),
          () => t(`Cầu vượt ${c} tại thành phố ${d}`, `${c} flyover in ${d} city`, `cầu vượt dài ${n(200, 900)} m`),
        ];
      case 'TRANSPORT_WATER':
        return [
          () => t(`Nạo vét, cải tạo luồng đường thủy nội địa sông ${r}`, `Dredging of the ${r} River inland waterway`, `${km || 'luồng'} cho tàu ${n(1, 5) * 1000} tấn`),
          () => t(`Cảng thủy nội địa ${c}, huyện ${d}`, `${c} inland port, ${d} district`, `công suất ${n(1, 9)} triệu tấn/năm`),
        ];
      case 'TRANSPORT_AIR':
        return [() => t(`Mở rộng nhà ga hành khách cảng hàng không ${p.name}`, `${p.name} airport passenger terminal expansion`, `công suất ${n(2, 10)} triệu hành khách/năm`)];
      case 'TRANSPORT':
        return [
          () => t(`Trung tâm logistics ${d}`, `${d} logistics centre`, `diện tích ${n(20, 150)} ha`),
          () => t(`Bến xe khách ${d}`, `${d} coach station`, `diện tích ${n(2, 8)} ha`),
        ];
      case 'TRANSPORT_LOW_CARBON':
        return [
          () => t(`Tuyến xe buýt điện ${d} – ${d2}`, `${d} – ${d2} electric bus route`, km || `${n(10, 40)} xe buýt điện`),
          () => t(`Hệ thống trạm sạc xe điện tỉnh ${p.name}`, `Electric vehicle charging network of ${p.name} province`, `${n(50, 400)} trạm sạc`),
          () => t(`Mạng lưới đường dành cho xe đạp thành phố ${d}`, `${d} city cycle network`, km || 'làn xe đạp riêng'),
        ];
      case 'WATER_AND_WASTE':
        return [
          () => t(`Hệ thống thoát nước và xử lý nước thải thị xã ${d}`, `${d} town drainage and wastewater treatment`, `công suất ${n(5, 80)}.000 m³/ngày đêm`),
          () => t(`Nhà máy xử lý nước thải ${d}`, `${d} wastewater treatment plant`, `công suất ${n(5, 200)}.000 m³/ngày đêm`),
          () => t(`Khu xử lý chất thải rắn tập trung ${c}`, `${c} solid waste treatment complex`, `công suất ${n(200, 2000)} tấn/ngày`),
          () => t(`Nhà máy nước ${d} giai đoạn ${n(1, 3)}`, `${d} water treatment plant, phase ${n(1, 3)}`, `công suất ${n(10, 300)}.000 m³/ngày đêm`),
          () => t(`Chống ngập và thoát nước khu vực trung tâm thành phố ${d}`, `Flood prevention and drainage for central ${d} city`, 'cống hộp, hồ điều hòa và trạm bơm'),
        ];
      case 'NATURAL_RESOURCES_FLOOD_PROTECTION':
        return [
          () => t(`Kè chống sạt lở bờ sông ${r} đoạn qua huyện ${d}`, `${r} River embankment against erosion through ${d} district`, `kè dài ${n(1, 12)} km`),
          () => t(`Hệ thống đê bao chống ngập huyện ${d}`, `${d} district flood dyke system`, `đê dài ${n(5, 60)} km`),
          () => t(`Hồ điều tiết ${c}`, `${c} regulating reservoir`, `dung tích ${n(1, 40)} triệu m³`),
        ];
      case 'NATURAL_RESOURCES':
        return [
          () => t(`Trồng và phục hồi rừng phòng hộ đầu nguồn sông ${r}`, `Protection forest restoration in the upper ${r} River basin`, `${n(200, 5000)} ha`),
          () => t(`Hồ chứa nước ${c}`, `${c} reservoir`, `dung tích ${n(5, 120)} triệu m³`),
        ];
      case 'ENERGY':
        return [
          () => t(`Đường dây 220 kV ${d} – ${d2}`, `${d} – ${d2} 220 kV transmission line`, `dài ${n(10, 120)} km`),
          () => t(`Trạm biến áp 110 kV ${c} và đường dây đấu nối`, `${c} 110 kV substation and connection`, `công suất ${n(1, 3) * 63} MVA`),
        ];
      case 'ENERGY_SOLAR':
        return [() => t(`Nhà máy điện mặt trời ${c}`, `${c} solar power plant`, `công suất ${n(20, 450)} MWp`)];
      case 'ENERGY_WIND':
        return [() => t(`Nhà máy điện gió ${c}`, `${c} wind farm`, `công suất ${n(30, 400)} MW`)];
      case 'ENERGY_HYDROPOWER':
        return [() => t(`Thủy điện ${c} trên sông ${r}`, `${c} hydropower plant on the ${r} River`, `công suất ${n(10, 250)} MW`)];
      case 'ENERGY_BIOMASS':
        return [() => t(`Nhà máy điện sinh khối ${d}`, `${d} biomass power plant`, `công suất ${n(10, 60)} MW`)];
      case 'ENERGY_GEOTHERMAL':
        return [() => t(`Nghiên cứu nhà máy điện địa nhiệt ${c}`, `${c} geothermal power study`, `công suất dự kiến ${n(5, 50)} MW`)];
      case 'EDUCATION':
        return [
          () => t(`Xây dựng Trường Trung học phổ thông ${c}`, `${c} upper secondary school`, `${n(24, 60)} phòng học`),
          () => t(`Trường Tiểu học ${c}, huyện ${d}`, `${c} primary school, ${d} district`, `${n(15, 40)} phòng học`),
          () => t(`Ký túc xá Trường Cao đẳng ${p.name}`, `${p.name} college dormitory`, `${n(500, 3000)} chỗ ở`),
        ];
      case 'HEALTH':
        return [
          () => t(`Bệnh viện Đa khoa huyện ${d}`, `${d} district general hospital`, `quy mô ${n(1, 10) * 50} giường bệnh`),
          () => t(`Trung tâm Y tế huyện ${d}`, `${d} district health centre`, `quy mô ${n(50, 200)} giường bệnh`),
        ];
      case 'COMMUNICATIONS':
        return [
          () => t(`Trung tâm dữ liệu tỉnh ${p.name}`, `${p.name} provincial data centre`, `${n(100, 800)} tủ rack`),
          () => t(`Hạ tầng cáp quang băng rộng huyện ${d}`, `${d} district broadband fibre network`, `${n(50, 600)} km cáp quang`),
        ];
      case 'GOVERNANCE':
        return [
          () => t(`Trung tâm hành chính công huyện ${d}`, `${d} district public administration centre`, `diện tích sàn ${n(3, 20)}.000 m²`),
          () => t(`Trụ sở làm việc Ủy ban nhân dân xã ${c}`, `${c} commune People's Committee office`, `diện tích sàn ${n(1, 4)}.000 m²`),
        ];
      case 'ECONOMY':
        return [
          () => t(`Hạ tầng kỹ thuật khu công nghiệp ${c}`, `${c} industrial park infrastructure`, `diện tích ${n(100, 1200)} ha`),
          () => t(`Chợ đầu mối nông sản ${d}`, `${d} agricultural wholesale market`, `diện tích ${n(5, 40)} ha`),
        ];
      case 'CULTURE_SPORTS_AND_RECREATION':
        return [
          () => t(`Nhà thi đấu đa năng tỉnh ${p.name}`, `${p.name} multi-purpose sports arena`, `${n(2, 8)}.000 chỗ ngồi`),
          () => t(`Công viên văn hóa ${d}`, `${d} cultural park`, `diện tích ${n(10, 80)} ha`),
        ];
      case 'SOCIAL_HOUSING':
        return [() => t(`Khu nhà ở xã hội ${c}, thành phố ${d}`, `${c} social housing, ${d} city`, `${n(300, 5000)} căn hộ`)];
      default:
        return [() => t(`Dự án hạ tầng ${c}`, `${c} infrastructure project`, 'quy mô theo quy hoạch')];
    }
  })();
  const names = pick(rng, options)();
  if (chance(rng, 0.12)) {
    const phase = int(rng, 1, 3);
    return { vi: `${names.vi} giai đoạn ${phase}`, en: `${names.en}, phase ${phase}`, scale: names.scale };
  }
  return names;
}

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
  SUSPENDED: ['Tạm dừng do vướng mặt bằng (dữ liệu tổng hợp).', 'Tạm dừng để điều chỉnh chủ trương đầu tư (dữ liệu tổng hợp).'],
  CANCELLED: ['Dừng thực hiện, chuyển sang hình thức đầu tư khác (dữ liệu tổng hợp).', 'Không bố trí được vốn (dữ liệu tổng hợp).'],
  COMPLETED: ['Hoàn thành, đưa vào khai thác (dữ liệu tổng hợp).'],
};

function generateHistory(rng: Rng, final: Status) {
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
    for (let i = uc + 1; i < path.length; i++) days[i] = days[i - 1] + Math.max(1, Math.floor(gaps[i - uc - 1] * scale));
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

interface ProjectContext {
  seed: number;
  plans: GenPlan[];
  provinces: Province[];
  /** Plan index of each project, by project index. */
  planOf: Int32Array;
}

function companyName(rng: Rng) {
  return `${pick(rng, COMPANY_FORMS)} ${pick(rng, COMPANY_WORDS)}`;
}

function financierFor(rng: Rng, source: string, province: Province): { name: string | null; currency: 'VND' | ForeignCurrency } {
  switch (source) {
    case 'ODA': {
      const lender = pickLender(rng);
      return { name: lender.name, currency: chance(rng, 0.8) ? lender.currency : 'VND' };
    }
    case 'CENTRAL_BUDGET':
      return { name: pick(rng, ['Ngân sách trung ương', 'Ngân sách trung ương (vốn đầu tư công trung hạn)', 'Chương trình mục tiêu quốc gia']), currency: 'VND' };
    case 'PROVINCIAL_BUDGET':
      return { name: `Ngân sách tỉnh ${province.name}`, currency: 'VND' };
    case 'PPP': {
      const name = chance(rng, 0.6) ? `Liên danh ${companyName(rng)} – ${companyName(rng)}` : `Nhà đầu tư BOT: ${companyName(rng)}`;
      return { name, currency: chance(rng, 0.1) ? 'USD' : 'VND' };
    }
    case 'LAND_VALUE_CAPTURE':
      return { name: `Trung tâm Phát triển quỹ đất tỉnh ${province.name}`, currency: 'VND' };
    case 'PRIVATE':
      return { name: companyName(rng), currency: chance(rng, 0.05) ? 'USD' : 'VND' };
    default:
      return chance(rng, 0.5) ? { name: `Quỹ Đầu tư phát triển tỉnh ${province.name}`, currency: 'VND' } : { name: null, currency: 'VND' };
  }
}

function generateProject(rng: Rng, index: number, width: number, ctx: ProjectContext, taskCursor: Int32Array): GenProject {
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
  const d2 = pick(rng, province.districts.filter((x) => x !== d));
  const c = commune(rng);
  const r = pick(rng, RIVERS);
  const median = TRANSPORT_LENGTH_MEDIAN[sector];
  const length = median !== undefined && chance(rng, 0.6) ? Math.max(0.2, Math.round(median * Math.exp(0.8 * normal(rng)) * 10) / 10) : null;
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
    start = Math.min(toDay('2040-06-30'), Math.max(minStart, lastDay + (final === 'PLANNED' ? int(rng, 180, 5000) : int(rng, 90, 2500))));
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
      ? { type: 'Point', coordinates: [Math.round((104 + rng() * 4.5) * 1e6) / 1e6, Math.round((9 + rng() * 12) * 1e6) / 1e6] }
      : null;
  locations.push(
    length !== null
      ? { name: `${d} – ${d2}`, level: 'CORRIDOR', description: `Tuyến dài khoảng ${length} km qua tỉnh ${province.name}`, geometry: null }
      : { name: province.jurisdiction, level: 'PROVINCE', description: null, geometry: null },
  );
  if (nLocations >= 2) {
    const kind = pick(rng, ['Huyện', 'Thị xã', 'Thành phố']);
    locations.push({ name: `${kind} ${d}, tỉnh ${province.name}`, level: 'DISTRICT', description: null, geometry: null });
  }
  if (nLocations >= 3) {
    locations.push(
      chance(rng, 0.7)
        ? { name: `Xã ${c}, huyện ${d}`, level: 'COMMUNE', description: null, geometry: point() }
        : { name: `Khu đất dự án ${c}`, level: 'SITE', description: `Khu đất tại xã ${c}, huyện ${d}`, geometry: point() },
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

// ---------------------------------------------------------------------------------------------------------------
// Sources: a handful of synthetic reports, cited by a sample of projects.

const SOURCE_COUNT = 12;
function syntheticSources() {
  return Array.from({ length: SOURCE_COUNT }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    const url = `${SYNTHETIC_SOURCE_URL}bao-cao-${n}`;
    const title = `Báo cáo tổng hợp tình hình đầu tư kết cấu hạ tầng số ${n} (dữ liệu tổng hợp SYN-SRC-${n})`;
    const quote = `Số liệu minh họa, không phải số liệu thật (SYN-SRC-${n}).`;
    const publishedOn = isoDay(toDay('2025-01-15') + i * 30);
    const fingerprint = createHash('md5').update(JSON.stringify([url, null, title, quote, publishedOn])).digest('hex');
    return {
      fingerprint,
      url,
      documentId: null,
      title,
      publisher: 'Synthetic data generator',
      quote,
      publishedOn,
      retrievedOn: REFERENCE_DAY,
      confidence: i % 3 === 0 ? ('MEDIUM' as const) : ('LOW' as const),
      note: 'synthetic',
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Writing.

const MAX_PARAMETERS = 60_000;
const MAX_ROWS = 2000;
const PROJECT_CHUNK = 1000;

function* batches<T>(rows: T[], columns: number): Generator<T[]> {
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns)));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Counts of rows whose code starts with SYN-: projects, plans, agencies. */
export async function countSyntheticRows(db: Db): Promise<{ projects: number; plans: number; agencies: number }> {
  const pattern = `${SYNTHETIC_PREFIX}%`;
  const [[p], [pl], [a]] = await Promise.all([
    db.select({ n: count() }).from(projects).where(like(projects.code, pattern)),
    db.select({ n: count() }).from(plans).where(like(plans.code, pattern)),
    db.select({ n: count() }).from(agencies).where(like(agencies.code, pattern)),
  ]);
  return { projects: Number(p.n), plans: Number(pl.n), agencies: Number(a.n) };
}

/** Deletes every SYN- row (projects, plans, agencies and what hangs off them) and the synthetic sources, in one transaction. */
export async function deleteSyntheticPortfolio(db: Db): Promise<{ projects: number; plans: number; agencies: number }> {
  const pattern = `${SYNTHETIC_PREFIX}%`;
  return db.transaction(async (tx) => {
    // Projects first: their tasks, locations, history, funding and citations go with them (cascade).
    const deletedProjects = await tx.delete(projects).where(like(projects.code, pattern)).returning({ id: projects.id });
    await tx.delete(sourceReferences).where(like(sourceReferences.url, `${SYNTHETIC_SOURCE_URL}%`));
    // Plans take their sections, tasks, targets and assignments with them.
    const deletedPlans = await tx.delete(plans).where(like(plans.code, pattern)).returning({ id: plans.id });
    const synthetic = tx.select({ id: agencies.id }).from(agencies).where(like(agencies.code, pattern));
    await tx
      .delete(agencySuccessions)
      .where(or(inArray(agencySuccessions.predecessorId, synthetic), inArray(agencySuccessions.successorId, synthetic)));
    const deletedAgencies = await tx.delete(agencies).where(like(agencies.code, pattern)).returning({ id: agencies.id });
    return { projects: deletedProjects.length, plans: deletedPlans.length, agencies: deletedAgencies.length };
  });
}

/**
 * Adds a synthetic portfolio of `options.projects` projects to the database, deterministically from `options.seed`,
 * in one transaction. The database must hold no SYN- rows yet (see deleteSyntheticPortfolio). Funding sources come
 * from the real seed data, which is loaded first when the database has none.
 */
export async function generateSyntheticPortfolio(db: Db, options: SyntheticOptions): Promise<SyntheticReport> {
  const { projects: projectCount, seed, onProgress } = options;
  if (!Number.isInteger(projectCount) || projectCount < 1 || projectCount > 1_000_000) {
    throw new SyntheticDataError(`projects must be an integer from 1 to 1,000,000, got ${projectCount}`);
  }
  if (!Number.isSafeInteger(seed)) throw new SyntheticDataError(`seed must be an integer, got ${seed}`);

  const existing = await countSyntheticRows(db);
  if (existing.projects + existing.plans + existing.agencies > 0) {
    throw new SyntheticDataError(
      `The database already holds synthetic data (${existing.projects} SYN- projects, ${existing.plans} plans, ${existing.agencies} agencies); delete it first.`,
    );
  }
  const [{ n: fundingCount }] = await db.select({ n: count() }).from(fundingSources);
  if (Number(fundingCount) === 0) await seedDatabase(db);
  const fundingRows = await db.select({ id: fundingSources.id, code: fundingSources.code }).from(fundingSources).where(inArray(fundingSources.code, FUNDING_CODES));
  const fundingIds = new Map(fundingRows.map((r) => [r.code, r.id]));
  const missing = FUNDING_CODES.filter((c) => !fundingIds.has(c));
  if (missing.length > 0) throw new SyntheticDataError(`funding_sources lacks ${missing.join(', ')}`);

  // Everything below depends on the seed and the size only.
  const structure = generateAgencies(seed);
  const planRng = stream(seed, 'plans');
  const planCount = Math.max(2, Math.round(projectCount / 2000));
  const issuingProvinces = structure.provinces;
  const genPlans = Array.from({ length: planCount }, (_, i) =>
    generatePlan(planRng, i, issuingProvinces[i % issuingProvinces.length], i === 0),
  );
  // Plan 1 gets about 2,000 projects (half the portfolio when it is small); the rest by the other plans' size.
  const firstPlanProjects = Math.min(2000, Math.ceil(projectCount / 2));
  const planOf = new Int32Array(projectCount);
  {
    const assignRng = stream(seed, 'project-plans');
    const rest = projectCount - firstPlanProjects;
    const otherTasks = genPlans.slice(1).reduce((s, p) => s + p.tasks.length, 0);
    let k = 0;
    for (; k < firstPlanProjects; k++) planOf[k] = 0;
    let assigned = 0;
    for (let p = 1; p < planCount; p++) {
      const n = p === planCount - 1 ? rest - assigned : Math.round((rest * genPlans[p].tasks.length) / otherTasks);
      for (let i = 0; i < n && k < projectCount; i++) planOf[k++] = p;
      assigned += n;
    }
    for (; k < projectCount; k++) planOf[k] = planCount - 1;
    for (let i = projectCount - 1; i > 0; i--) {
      const j = Math.floor(assignRng() * (i + 1));
      const t = planOf[i];
      planOf[i] = planOf[j];
      planOf[j] = t;
    }
  }
  const ctx: ProjectContext = { seed, plans: genPlans, provinces: structure.provinces, planOf };
  const taskCursor = new Int32Array(planCount);
  const projectRng = stream(seed, 'projects');
  const width = Math.max(6, String(projectCount).length);

  const report: SyntheticReport = {
    plans: 0,
    sections: 0,
    tasks: 0,
    agencies: 0,
    successions: 0,
    projects: 0,
    allocations: 0,
    statusChanges: 0,
    locations: 0,
    taskLinks: 0,
  };

  return db.transaction(async (tx) => {
    onProgress?.(0, 1, 'agencies');
    const agencyIds = await insertAgencies(tx, structure.agencies, structure.successions);
    report.agencies = structure.agencies.length;
    report.successions = structure.successions.length;
    onProgress?.(1, 1, 'agencies');

    onProgress?.(0, planCount, 'plans');
    const taskIds = new Map<string, number>();
    const planChunk = 50;
    for (let i = 0; i < genPlans.length; i += planChunk) {
      const chunk = genPlans.slice(i, i + planChunk);
      const counts = await insertPlans(tx, chunk, agencyIds, taskIds);
      report.plans += chunk.length;
      report.sections += counts.sections;
      report.tasks += counts.tasks;
      onProgress?.(report.plans, planCount, 'plans');
    }

    const sources = syntheticSources();
    const sourceRows = await tx.insert(sourceReferences).values(sources).returning({ id: sourceReferences.id, fingerprint: sourceReferences.fingerprint });
    const sourceIdByPrint = new Map(sourceRows.map((r) => [r.fingerprint, r.id]));
    const sourceIds = sources.map((s) => sourceIdByPrint.get(s.fingerprint)!);

    onProgress?.(0, projectCount, 'projects');
    for (let start = 0; start < projectCount; start += PROJECT_CHUNK) {
      const chunk: GenProject[] = [];
      for (let i = start; i < Math.min(projectCount, start + PROJECT_CHUNK); i++) chunk.push(generateProject(projectRng, i, width, ctx, taskCursor));
      const counts = await insertProjects(tx, chunk, { agencyIds, taskIds, fundingIds, sourceIds, seed });
      report.projects += chunk.length;
      report.allocations += counts.allocations;
      report.statusChanges += counts.statusChanges;
      report.locations += counts.locations;
      report.taskLinks += counts.taskLinks;
      onProgress?.(report.projects, projectCount, 'projects');
    }
    return report;
  });
}

async function insertAgencies(tx: Tx, list: GenAgency[], successions: GenSuccession[]) {
  const agencyIds = new Map<string, number>();
  for (const batch of batches(list, 8)) {
    const rows = await tx.insert(agencies).values(batch).returning({ id: agencies.id, code: agencies.code });
    for (const r of rows) agencyIds.set(r.code, r.id);
  }
  for (const batch of batches(successions, 7)) {
    await tx.insert(agencySuccessions).values(
      batch.map((s) => ({
        predecessorId: agencyIds.get(s.predecessor)!,
        successorId: agencyIds.get(s.successor)!,
        kind: s.kind,
        effectiveOn: s.effectiveOn,
        dateInferred: false,
        documentId: null,
        reason: s.reason,
        note: 'synthetic',
      })),
    );
  }
  return agencyIds;
}

async function insertPlans(tx: Tx, list: GenPlan[], agencyIds: Map<string, number>, taskIds: Map<string, number>) {
  const planRows = await tx
    .insert(plans)
    .values(
      list.map((p) => ({
        code: p.code,
        title: p.title,
        titleEn: p.titleEn,
        issuedOn: p.issuedOn,
        issuerId: agencyIds.get(p.issuer)!,
        place: p.province.name,
        sourceText: null,
        sourceComplete: true,
      })),
    )
    .returning({ id: plans.id, code: plans.code });
  const planIds = new Map(planRows.map((r) => [r.code, r.id]));
  const targets = list.flatMap((p) => [
    { planId: planIds.get(p.code)!, year: 2030, text: `Hoàn thành các dự án hạ tầng trọng điểm của tỉnh ${p.province.name} (dữ liệu tổng hợp).`, position: 1 },
    { planId: planIds.get(p.code)!, year: 2045, text: `Hệ thống kết cấu hạ tầng hiện đại, đồng bộ, kết nối vùng (dữ liệu tổng hợp).`, position: 2 },
  ]);
  await tx.insert(planTargets).values(targets);

  // Sections, parents first: one level at a time for all plans of the chunk.
  const sectionIds = new Map<string, number>(); // `${planCode}|${number}`
  let sectionCount = 0;
  for (let level = 1; level <= 3; level++) {
    const rows = list.flatMap((p) =>
      p.sections
        .map((s, index) => ({ s, index }))
        .filter(({ s }) => s.level === level)
        .map(({ s, index }) => ({
          planId: planIds.get(p.code)!,
          parentId: s.parent ? sectionIds.get(`${p.code}|${s.parent}`)! : null,
          number: s.number,
          heading: s.heading,
          body: s.body,
          level,
          position: index + 1,
          sourceIncomplete: false,
          note: null,
        })),
    );
    sectionCount += rows.length;
    const codeOf = new Map(list.map((p) => [planIds.get(p.code)!, p.code]));
    for (const batch of batches(rows, 9)) {
      const inserted = await tx.insert(planSections).values(batch).returning({ id: planSections.id, planId: planSections.planId, number: planSections.number });
      for (const r of inserted) sectionIds.set(`${codeOf.get(r.planId)}|${r.number}`, r.id);
    }
  }
  const assignments = list.flatMap((p) =>
    p.sections.flatMap((s) =>
      s.assignments.map((a, i) => ({ sectionId: sectionIds.get(`${p.code}|${s.number}`)!, agencyId: agencyIds.get(a.agency)!, role: a.role, position: i + 1 })),
    ),
  );
  for (const batch of batches(assignments, 4)) await tx.insert(sectionAssignments).values(batch);

  const taskRows = list.flatMap((p) =>
    p.tasks.map((t, i) => ({
      planId: planIds.get(p.code)!,
      sectionId: sectionIds.get(`${p.code}|${t.section.number}`)!,
      code: t.code,
      position: Number(t.code.slice(t.code.lastIndexOf('.') + 1)),
      sortOrder: i + 1,
      text: t.section.tasks[Number(t.code.slice(t.code.lastIndexOf('.') + 1)) - 1],
    })),
  );
  const holderOf = new Map<string, GenTask>();
  for (const p of list) for (const t of p.tasks) holderOf.set(`${p.code}|${t.code}`, t);
  const codeOfPlan = new Map(list.map((p) => [planIds.get(p.code)!, p.code]));
  const taskAssignmentRows: (typeof taskAssignments.$inferInsert)[] = [];
  for (const batch of batches(taskRows, 6)) {
    const inserted = await tx.insert(planTasks).values(batch).returning({ id: planTasks.id, planId: planTasks.planId, code: planTasks.code });
    for (const r of inserted) {
      const key = `${codeOfPlan.get(r.planId)}|${r.code}`;
      taskIds.set(key, r.id);
      // As seeds/load.ts does: every task carries the assignments of the section whose text assigns it.
      const holder = holderOf.get(key)!.holder;
      if (!holder) continue;
      holder.assignments.forEach((a, i) =>
        taskAssignmentRows.push({
          taskId: r.id,
          agencyId: agencyIds.get(a.agency)!,
          role: a.role,
          sectionId: sectionIds.get(`${codeOfPlan.get(r.planId)}|${holder.number}`)!,
          position: i + 1,
        }),
      );
    }
  }
  for (const batch of batches(taskAssignmentRows, 5)) await tx.insert(taskAssignments).values(batch);
  return { sections: sectionCount, tasks: taskRows.length };
}

async function insertProjects(
  tx: Tx,
  list: GenProject[],
  refs: { agencyIds: Map<string, number>; taskIds: Map<string, number>; fundingIds: Map<string, number>; sourceIds: number[]; seed: number },
) {
  const projectIds = new Map<string, number>();
  const notes = `Synthetic data generated by seeds/synthetic.ts (seed ${refs.seed}).`;
  for (const batch of batches(list, 20)) {
    const rows = await tx
      .insert(projects)
      .values(
        batch.map((p) => ({
          code: p.code,
          name: p.name,
          nameEn: p.nameEn,
          description: p.description,
          sector: p.sector,
          type: p.type,
          status: p.status,
          statusChangedOn: p.statusChangedOn,
          ownerAgencyId: p.owner ? refs.agencyIds.get(p.owner)! : null,
          plannedStart: p.plannedStart,
          plannedCompletion: p.plannedCompletion,
          lengthKm: p.lengthKm,
          totalInvestmentAmount: p.total?.amount ?? null,
          totalInvestmentCurrency: p.total?.currency ?? null,
          totalInvestmentRateToVnd: p.total?.rate ?? null,
          totalInvestmentRateDate: p.total?.rateDate ?? null,
          totalInvestmentVnd: p.total ? (p.total.rate ? vndOf(p.total.amount, p.total.rate) : p.total.amount) : null,
          totalInvestmentNote: p.total?.note ?? null,
          notes,
        })),
      )
      .returning({ id: projects.id, code: projects.code });
    for (const r of rows) projectIds.set(r.code, r.id);
  }

  const links = list.flatMap((p) => p.tasks.map((t) => ({ projectId: projectIds.get(p.code)!, taskId: refs.taskIds.get(t)! })));
  for (const batch of batches(links, 2)) await tx.insert(projectTasks).values(batch);

  const locations = list.flatMap((p) =>
    p.locations.map((l, i) => ({ projectId: projectIds.get(p.code)!, name: l.name, level: l.level, description: l.description, geometry: l.geometry, position: i + 1 })),
  );
  for (const batch of batches(locations, 6)) await tx.insert(projectLocations).values(batch);

  const changes = list.flatMap((p) => p.history.map((h) => ({ projectId: projectIds.get(p.code)!, status: h.status, effectiveOn: h.effectiveOn, note: h.note })));
  for (const batch of batches(changes, 4)) await tx.insert(projectStatusChanges).values(batch);

  const allocations = list.flatMap((p) =>
    p.allocations.map((a, i) => ({
      projectId: projectIds.get(p.code)!,
      sourceId: refs.fundingIds.get(a.source)!,
      financier: a.financier,
      amount: a.amount,
      currency: a.currency,
      rateToVnd: a.rate,
      rateDate: a.rateDate,
      rateNote: a.rateNote,
      amountVnd: a.amount === null ? null : a.rate ? vndOf(a.amount, a.rate) : a.amount,
      status: a.status,
      fiscalYear: a.fiscalYear,
      note: a.note,
      position: i + 1,
    })),
  );
  for (const batch of batches(allocations, 15)) await tx.insert(fundingAllocations).values(batch);

  const citations = list
    .filter((p) => p.citation !== null)
    .map((p) => ({ ownerId: projectIds.get(p.code)!, sourceId: refs.sourceIds[p.citation!], supports: 'totalInvestment', position: 1 }));
  if (citations.length > 0) await tx.insert(projectSources).values(citations);

  return { allocations: allocations.length, statusChanges: changes.length, locations: locations.length, taskLinks: links.length };
}
