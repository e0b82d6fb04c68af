/**
 * The synthetic plans: each a provincial infrastructure plan with a section tree (I, II, II.1, II.1.a, ...), the
 * departments its items assign (lead and coordinating, or implementing), and its numbered tasks; and which plan
 * each project of the portfolio carries out.
 */

import type { Province } from './agencies';
import type { Role } from './columns';
import { dayBetween, isoDay } from './dates';
import { chance, int, pick, sample, shuffle, stream, type Rng } from './random';
import { DEPARTMENTS, LETTERS, pickTheme, type Theme } from './vocabulary';

export interface GenSection {
  number: string;
  parent: string | null;
  heading: string;
  body: string | null;
  level: number;
  assignments: { agency: string; role: Role }[];
  tasks: string[];
  theme: Theme | null;
}
export interface GenTask {
  code: string;
  section: GenSection;
  /** The section whose text assigns the task (null: it falls to the plan's issuer). */
  holder: GenSection | null;
  theme: Theme | null;
}
export interface GenPlan {
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

const VERBS = [
  'Đầu tư xây dựng',
  'Nâng cấp, mở rộng',
  'Hoàn thành đầu tư',
  'Triển khai thực hiện',
  'Nghiên cứu, đề xuất đầu tư',
  'Cải tạo, nâng cấp',
  'Đẩy nhanh tiến độ',
  'Huy động nguồn lực để đầu tư',
  'Rà soát, cập nhật quy hoạch',
];
const DEADLINES = [
  'trong giai đoạn 2026 - 2030',
  'hoàn thành trước năm 2030',
  'định hướng đến năm 2035',
  'trong giai đoạn 2021 - 2025',
  'đến năm 2030, tầm nhìn đến năm 2045',
  'theo lộ trình được phê duyệt',
];
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
  const deptName = (agencyCode: string) =>
    DEPARTMENTS.find((d) => agencyCode.endsWith(`.${d.code}`))?.name ?? 'Ban Quản lý dự án';
  const place = () => pick(rng, [...province.districts, province.name]);
  const taskText = (theme: Theme) =>
    `${pick(rng, VERBS)} ${pick(rng, theme.objects)} ${pick(rng, ['tại', 'trên địa bàn', 'đoạn qua', 'khu vực'])} ${place()}` +
    `${chance(rng, 0.5) ? ` – ${place()}` : ''}, ${pick(rng, CONNECTORS)}, ${pick(rng, DEADLINES)}.`;

  const sections: GenSection[] = [];
  const tasks: GenTask[] = [];
  const addTasks = (section: GenSection, n: number, holder: GenSection | null) => {
    for (let i = 0; i < n; i++) {
      const text = section.theme
        ? taskText(section.theme)
        : `${pick(rng, ['Quán triệt, tổ chức thực hiện', 'Tăng cường tuyên truyền, giám sát việc thực hiện', 'Lồng ghép với các chương trình, kế hoạch của tỉnh để thực hiện'])} các mục tiêu phát triển kết cấu hạ tầng đồng bộ tỉnh ${province.name}, ${pick(rng, DEADLINES)}.`;
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
  sections.push({
    number: 'II',
    parent: null,
    heading: 'NHIỆM VỤ VÀ GIẢI PHÁP',
    body: null,
    level: 1,
    assignments: [],
    tasks: [],
    theme: null,
  });

  const subsections = large ? 8 : int(rng, 3, 7);
  for (let k = 1; k <= subsections; k++) {
    const theme = pickTheme(rng);
    const sub: GenSection = {
      number: `II.${k}`,
      parent: 'II',
      heading: theme.heading,
      body: null,
      level: 2,
      assignments: [],
      tasks: [],
      theme,
    };
    sections.push(sub);
    const items = large ? 5 : int(rng, 3, 6);
    for (let j = 0; j < items; j++) {
      const lead = `${province.code}.${pick(rng, theme.leads)}`;
      const others = departments(DEPARTMENTS.map((d) => d.code)).filter((c) => c !== lead);
      let assignments: { agency: string; role: Role }[];
      let heading: string;
      if (chance(rng, 0.7)) {
        const coordinating = sample(rng, others, int(rng, 1, 3));
        assignments = [
          { agency: lead, role: 'LEAD' },
          ...coordinating.map((agency) => ({ agency, role: 'COORDINATING' as Role })),
        ];
        heading = `${deptName(lead)} chủ trì, phối hợp với ${coordinating.map(deptName).join(', ')} và các đơn vị liên quan tổ chức thực hiện:`;
      } else {
        const implementing = [lead, ...sample(rng, others, int(rng, 1, 3))];
        assignments = implementing.map((agency) => ({ agency, role: 'IMPLEMENTING' as Role }));
        heading = `${implementing.map(deptName).join(', ')} theo chức năng, nhiệm vụ được giao triển khai thực hiện:`;
      }
      const item: GenSection = {
        number: `II.${k}.${LETTERS[j]}`,
        parent: sub.number,
        heading,
        body: null,
        level: 3,
        assignments,
        tasks: [],
        theme,
      };
      sections.push(item);
      addTasks(item, large ? int(rng, 10, 15) : int(rng, 3, 9), item);
    }
  }
  // Document order: I, its tasks, II, II.1, II.1.a, ... — sections were pushed in that order.
  const title = `Kế hoạch phát triển kết cấu hạ tầng đồng bộ tỉnh ${province.name} giai đoạn 2021 - 2030, tầm nhìn đến năm 2045 (dữ liệu tổng hợp số ${index + 1})`;
  const titleEn = `Plan for synchronous infrastructure development of ${province.name} province, 2021-2030 with a vision to 2045 (synthetic plan ${index + 1})`;
  return {
    code,
    title,
    titleEn,
    issuedOn,
    issuer,
    province,
    sections,
    tasks,
    themedTasks: tasks.filter((t) => t.theme !== null),
  };
}

/** The plans of a portfolio of `projectCount` projects: one per 2,000 projects, at least two; the first is large. */
export function generatePlans(seed: number, provinces: Province[], projectCount: number): GenPlan[] {
  const planRng = stream(seed, 'plans');
  const planCount = Math.max(2, Math.round(projectCount / 2000));
  return Array.from({ length: planCount }, (_, i) =>
    generatePlan(planRng, i, provinces[i % provinces.length], i === 0),
  );
}

/**
 * The plan index of each project, by project index. Plan 1 gets about 2,000 projects (half the portfolio when it is
 * small); the rest go to the other plans by their number of tasks, then the order is shuffled.
 */
export function assignPlans(seed: number, genPlans: GenPlan[], projectCount: number): Int32Array {
  const planCount = genPlans.length;
  const firstPlanProjects = Math.min(2000, Math.ceil(projectCount / 2));
  const planOf = new Int32Array(projectCount);
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
  return shuffle(assignRng, planOf);
}
