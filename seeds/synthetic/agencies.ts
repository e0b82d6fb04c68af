/**
 * The synthetic agencies: twenty provinces, each with its people's committee, departments and project board, a few
 * central ministries and enterprises, and the successions between them (2016 renames, the 2025-03-01 department
 * mergers, six provinces absorbed by a neighbour on 2025-07-01), with at least one chain three successions long.
 */

import type { AgencyKind, SuccessionKind } from './columns';
import { chance, sample, shuffle, stream } from './random';
import {
  DEPARTMENT_MERGERS,
  DEPARTMENTS,
  DISTRICT_NAMES,
  MERGED_DEPARTMENT,
  PROVINCE_NAMES,
  RENAMED_DEPARTMENT,
} from './vocabulary';

export interface Province {
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

export interface GenAgency {
  code: string;
  name: string;
  nameEn: string;
  kind: AgencyKind;
  jurisdictionCode: string;
  jurisdiction: string;
  validFrom: string | null;
  validTo: string | null;
}
export interface GenSuccession {
  predecessor: string;
  successor: string;
  kind: SuccessionKind;
  effectiveOn: string;
  reason: string;
}

const RESTRUCTURE_DAY = '2025-03-01';
const PROVINCE_MERGER_DAY = '2025-07-01';
const RENAME_DAY = '2016-01-01';

export function generateAgencies(seed: number) {
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
  const order = shuffle(
    rng,
    provinces.map((p) => p.index),
  );
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
    add({
      code: `SYN-VN.${code}`,
      name,
      nameEn,
      kind,
      jurisdictionCode: 'SYN-VN',
      jurisdiction: 'Việt Nam (dữ liệu tổng hợp)',
      validFrom,
      validTo: null,
    });
  central('BGTVT', 'Bộ Giao thông vận tải (tổng hợp)', 'Ministry of Transport (synthetic)', 'MINISTRY');
  central('BXD', 'Bộ Xây dựng (tổng hợp)', 'Ministry of Construction (synthetic)', 'MINISTRY');
  central('BKHDT', 'Bộ Kế hoạch và Đầu tư (tổng hợp)', 'Ministry of Planning and Investment (synthetic)', 'MINISTRY');
  central('BTC', 'Bộ Tài chính (tổng hợp)', 'Ministry of Finance (synthetic)', 'MINISTRY');
  central(
    'BTNMT',
    'Bộ Tài nguyên và Môi trường (tổng hợp)',
    'Ministry of Natural Resources and Environment (synthetic)',
    'MINISTRY',
  );
  central(
    'BNNPTNT',
    'Bộ Nông nghiệp và Phát triển nông thôn (tổng hợp)',
    'Ministry of Agriculture and Rural Development (synthetic)',
    'MINISTRY',
  );
  central(
    'BNNMT',
    'Bộ Nông nghiệp và Môi trường (tổng hợp)',
    'Ministry of Agriculture and Environment (synthetic)',
    'MINISTRY',
    RESTRUCTURE_DAY,
  );
  central(
    'VEC',
    'Tổng công ty Đầu tư phát triển đường cao tốc (tổng hợp)',
    'Expressway Development Corporation (synthetic)',
    'STATE_ENTERPRISE',
  );
  central(
    'BQLDSDT',
    'Ban Quản lý dự án đường sắt (tổng hợp)',
    'Railway Project Management Unit (synthetic)',
    'PROJECT_MANAGEMENT_BOARD',
  );
  for (const [from, to] of [
    ['BGTVT', 'BXD'],
    ['BKHDT', 'BTC'],
    ['BTNMT', 'BNNMT'],
    ['BNNPTNT', 'BNNMT'],
  ] as const) {
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
      add({
        code: `${p.code}.${code}`,
        name,
        nameEn,
        kind,
        jurisdictionCode: p.code,
        jurisdiction: p.jurisdiction,
        validFrom,
        validTo: null,
      });
    agency('UBND', `Ủy ban nhân dân tỉnh ${p.name}`, `${p.name} Provincial People's Committee`, 'PEOPLES_COMMITTEE');
    for (const d of DEPARTMENTS) {
      agency(
        d.code,
        `${d.name} tỉnh ${p.name}`,
        `${p.name} ${d.nameEn}`,
        d.kind,
        d.code === 'SGTVT' && p.renamed ? RENAME_DAY : null,
      );
    }
    agency(
      'BQLDA',
      `Ban Quản lý dự án đầu tư xây dựng tỉnh ${p.name}`,
      `${p.name} Construction Investment Project Management Board`,
      'PROJECT_MANAGEMENT_BOARD',
    );
    if (p.renamed) {
      agency(
        RENAMED_DEPARTMENT.code,
        `${RENAMED_DEPARTMENT.name} tỉnh ${p.name}`,
        `${p.name} ${RENAMED_DEPARTMENT.nameEn}`,
        'DEPARTMENT',
        '2008-04-01',
      );
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
      agency(
        MERGED_DEPARTMENT.code,
        `${MERGED_DEPARTMENT.name} tỉnh ${p.name}`,
        `${p.name} ${MERGED_DEPARTMENT.nameEn}`,
        'DEPARTMENT',
        RESTRUCTURE_DAY,
      );
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
