import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataOf, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Plan 6408/KH-UBND as the API serves it, checked against the reviewed seed files and the plan's own text
 * (seeds/sources/plan-6408-KH-UBND.txt), never against the API's own output.
 */

const repoRoot = path.resolve(__dirname, '../..');
const readJson = (file: string): any =>
  JSON.parse(readFileSync(path.join(repoRoot, 'seeds/data', file), 'utf8').normalize('NFC'));

const seedPlan = readJson('plan-6408-KH-UBND.json');
const seedProjects: any[] = readJson('projects.json');
const seedDocuments: any[] = readJson('legal-documents.json');
const seedAgencies: any[] = readJson('agencies.json');
/** The plan text with the markdown emphasis asterisks removed. */
const planText = readFileSync(path.join(repoRoot, 'seeds/sources/plan-6408-KH-UBND.txt'), 'utf8')
  .normalize('NFC')
  .replace(/\*/g, '');

interface FlatSection {
  number: string;
  heading: string;
  body: string | null;
  level: number;
  parent: string | null;
  children: string[];
  tasks: { code: string; position: number; text: string }[];
  sourceIncomplete: boolean;
}

/** Sections in document order with levels, parents and task codes `${number}.${position}`. */
function flatten(sections: any[], parent: string | null = null, level = 1, out: FlatSection[] = []): FlatSection[] {
  for (const s of sections) {
    out.push({
      number: s.number,
      heading: s.heading,
      body: s.body ?? null,
      level,
      parent,
      children: (s.children ?? []).map((c: any) => c.number),
      tasks: (s.tasks ?? []).map((t: any, i: number) => ({
        code: `${s.number}.${i + 1}`,
        position: i + 1,
        text: t.text,
      })),
      sourceIncomplete: s.sourceIncomplete === true,
    });
    flatten(s.children ?? [], s.number, level + 1, out);
  }
  return out;
}

const seedSections = flatten(seedPlan.sections);
const seedTasks = seedSections.flatMap((s) => s.tasks.map((t) => ({ ...t, section: s.number })));

/**
 * Who the plan text assigns each lettered item to (read from the text, not from the seed). Sections not listed
 * name no agency, so their tasks fall to the plan's issuer.
 */
const TEXT_ASSIGNMENTS: Record<string, { role: string; agency: string }[]> = {
  'II.3.a': [
    { role: 'LEAD', agency: 'BD.SKHDT' },
    { role: 'COORDINATING', agency: 'BD.SNV' },
    { role: 'COORDINATING', agency: 'BD.STNMT' },
    { role: 'COORDINATING', agency: 'BD.SXD' },
  ],
  'II.3.b': [{ role: 'LEAD', agency: 'BD.STNMT' }],
  'II.4.a': [{ role: 'LEAD', agency: 'BD.SKHDT' }],
  'II.4.b': [{ role: 'LEAD', agency: 'BD.SGTVT' }],
  'II.4.c': [{ role: 'LEAD', agency: 'BD.SXD' }],
  'II.4.d': [
    { role: 'IMPLEMENTING', agency: 'BD.SCT' },
    { role: 'IMPLEMENTING', agency: 'BD.SXD' },
    { role: 'IMPLEMENTING', agency: 'BD.SNNPTNT' },
  ],
  'II.4.đ': [
    { role: 'IMPLEMENTING', agency: 'BD.SKHCN' },
    { role: 'IMPLEMENTING', agency: 'BD.STTTT' },
    { role: 'IMPLEMENTING', agency: 'BD.SGDDT' },
    { role: 'IMPLEMENTING', agency: 'BD.SYT' },
    { role: 'IMPLEMENTING', agency: 'BD.SVHTTDL' },
  ],
};

/** The assignments a task must carry: its item's agencies, else one LEAD by the issuer BD.UBND. */
function expectedTaskAssignments(sectionNumber: string) {
  const named = TEXT_ASSIGNMENTS[sectionNumber];
  if (!named) return [{ role: 'LEAD', basis: 'PLAN_ISSUER', agency: 'BD.UBND', section: null }];
  return named.map((a) => ({ role: a.role, basis: 'SECTION', agency: a.agency, section: sectionNumber }));
}

/** The lead: the agency named `chủ trì`, else the first implementing agency, else the issuer. */
function expectedLead(sectionNumber: string): string {
  const named = TEXT_ASSIGNMENTS[sectionNumber];
  if (!named) return 'BD.UBND';
  return (named.find((a) => a.role === 'LEAD') ?? named.find((a) => a.role === 'IMPLEMENTING'))!.agency;
}

const byRoleAndAgency = (a: { role: string; agency: string }, b: { role: string; agency: string }) => {
  const x = `${a.role}|${a.agency}`;
  const y = `${b.role}|${b.agency}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

const SECTION_FIELDS = /* GraphQL */ `
  fragment SectionFields on PlanSection {
    id
    number
    heading
    body
    level
    sourceIncomplete
    parent {
      number
    }
    plan {
      code
    }
    assignments {
      role
      basis
      agency {
        code
      }
      section {
        number
      }
    }
    tasks {
      code
      position
      text
    }
  }
`;

const PLAN_QUERY = /* GraphQL */ `
  query Plan($code: String!) {
    plan(code: $code) {
      id
      code
      title
      titleEn
      issuedOn
      place
      sourceText
      sourceComplete
      issuer {
        code
      }
      legalBasis {
        relation
        document {
          code
          issuedOn
        }
      }
      targets {
        year
        text
      }
      sections {
        ...SectionFields
        children {
          ...SectionFields
          children {
            ...SectionFields
            children {
              ...SectionFields
            }
          }
        }
      }
      tasks(first: 100) {
        totalCount
        pageInfo {
          hasNextPage
        }
        nodes {
          code
          position
          text
          section {
            number
          }
          plan {
            code
          }
          assignments {
            role
            basis
            agency {
              code
            }
            section {
              number
            }
          }
          leadAgency {
            code
          }
        }
      }
      projects(first: 100) {
        totalCount
        nodes {
          code
        }
      }
    }
  }
  ${SECTION_FIELDS}
`;

describe('plan(code: "6408/KH-UBND")', () => {
  let t: TestApp;
  let plan: any;
  /** Every section of the API's tree by number, with its children's numbers. */
  const apiSections = new Map<string, any>();

  beforeAll(async () => {
    t = await startTestApp();
    plan = dataOf(await t.query(PLAN_QUERY, { code: '6408/KH-UBND' })).plan;
    const walk = (list: any[]) => {
      for (const s of list) {
        apiSections.set(s.number, s);
        walk(s.children ?? []);
      }
    };
    walk(plan.sections);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('gives the code, the verbatim title, the issue date 2024-11-12, the issuer BD.UBND and sourceComplete false', () => {
    expect(plan.code).toBe('6408/KH-UBND');
    expect(plan.title).toBe(seedPlan.title);
    expect(planText).toContain(`KẾ HOẠCH\n\n${plan.title}\n`);
    expect(planText).toContain('Số: 6408/KH-UBND');
    expect(planText).toContain('Bình Dương, ngày 12 tháng 11 năm 2024');
    expect(plan.issuedOn).toBe('2024-11-12');
    expect(plan.issuer).toEqual({ code: 'BD.UBND' });
    expect(plan.sourceComplete).toBe(false);
    expect(plan.sourceText).toBe('seeds/sources/plan-6408-KH-UBND.txt');
    expect(plan.place).toBe('Bình Dương');
  });

  it('lists exactly the six legal-basis documents with their relations and issue dates', () => {
    const expected = [
      { relation: 'IMPLEMENTS', document: { code: '72-KL/TW', issuedOn: '2024-02-23' } },
      { relation: 'IMPLEMENTS', document: { code: '693/QĐ-TTg', issuedOn: '2024-07-17' } },
      { relation: 'BASED_ON', document: { code: '13-NQ/TW', issuedOn: '2012-01-16' } },
      { relation: 'EARLIER_PROGRAMME', document: { code: '43/CTr-TU', issuedOn: '2012-07-13' } },
      { relation: 'EARLIER_PROGRAMME', document: { code: '3001/KH-UBND', issuedOn: '2012-10-17' } },
      { relation: 'PROPOSED_BY', document: { code: '2299/SKHĐT-TH', issuedOn: '2024-08-20' } },
    ];
    const sortByCode = (list: any[]) => [...list].sort((a, b) => (a.document.code < b.document.code ? -1 : 1));
    expect(sortByCode(plan.legalBasis)).toEqual(sortByCode(expected));
    // The seed files agree with the dates the plan text gives.
    for (const basis of expected) {
      expect(seedDocuments.find((d) => d.code === basis.document.code)?.issuedOn).toBe(basis.document.issuedOn);
      expect(planText).toContain(basis.document.code);
    }
    expect(planText).toContain('Kết luận số 72-KL/TW ngày 23/2/2024');
    expect(planText).toContain('Quyết định số 693/QĐ-TTg ngày 17/7/2024');
    expect(planText).toContain('Nghị quyết số 13-NQ/TW ngày 16 tháng 01 năm 2012');
    expect(planText).toContain('43/CTr-TU ngày 13/07/2012');
    expect(planText).toContain('3001/KH-UBND ngày 17/10/2012');
    expect(planText).toContain('2299/SKHĐT-TH ngày 20/8/2024');
  });

  it('gives the 2030 and 2045 targets with text found verbatim in the plan text', () => {
    expect(plan.targets.map((x: any) => x.year)).toEqual([2030, 2045]);
    const [t2030, t2045] = plan.targets;
    expect(t2030.text).toBe(seedPlan.targets.find((x: any) => x.year === 2030).text);
    expect(t2045.text).toBe(seedPlan.targets.find((x: any) => x.year === 2045).text);
    expect(t2030.text.startsWith('Phấn đấu đến năm 2030')).toBe(true);
    expect(t2045.text.startsWith('Định hướng đến năm 2045')).toBe(true);
    for (const target of plan.targets) expect(planText).toContain(target.text);
  });

  it('has the top-level sections I and II, in document order, at level 1 with no parent', () => {
    expect(plan.sections.map((s: any) => s.number)).toEqual(['I', 'II']);
    for (const s of plan.sections) {
      expect(s.level).toBe(1);
      expect(s.parent).toBeNull();
    }
    expect(plan.sections[0].children).toEqual([]);
  });

  it('nests II → II.1..II.4, II.3 → II.3.a, II.3.b and II.4 → a, b, c, d, đ with levels and parent links', () => {
    const childNumbers = (n: string) => apiSections.get(n).children.map((c: any) => c.number);
    expect(childNumbers('II')).toEqual(['II.1', 'II.2', 'II.3', 'II.4']);
    expect(childNumbers('II.3')).toEqual(['II.3.a', 'II.3.b']);
    expect(childNumbers('II.4')).toEqual(['II.4.a', 'II.4.b', 'II.4.c', 'II.4.d', 'II.4.đ']);
    for (const n of ['II.1', 'II.2', 'II.3', 'II.4']) {
      expect(apiSections.get(n).level).toBe(2);
      expect(apiSections.get(n).parent).toEqual({ number: 'II' });
    }
    for (const n of ['II.3.a', 'II.3.b']) {
      expect(apiSections.get(n).level).toBe(3);
      expect(apiSections.get(n).parent).toEqual({ number: 'II.3' });
    }
    for (const n of ['II.4.a', 'II.4.b', 'II.4.c', 'II.4.d', 'II.4.đ']) {
      expect(apiSections.get(n).level).toBe(3);
      expect(apiSections.get(n).parent).toEqual({ number: 'II.4' });
      expect(childNumbers(n)).toEqual([]);
    }
    // The whole tree is exactly the seed's: same numbers, levels, parents and children.
    expect([...apiSections.keys()].sort()).toEqual(seedSections.map((s) => s.number).sort());
    for (const seed of seedSections) {
      const s = apiSections.get(seed.number);
      expect({
        number: s.number,
        level: s.level,
        parent: s.parent?.number ?? null,
        children: childNumbers(seed.number),
      }).toEqual({
        number: seed.number,
        level: seed.level,
        parent: seed.parent,
        children: seed.children,
      });
      expect(s.plan).toEqual({ code: '6408/KH-UBND' });
    }
  });

  it('gives every section heading verbatim as in the plan text', () => {
    for (const seed of seedSections) {
      const s = apiSections.get(seed.number);
      expect(s.heading).toBe(seed.heading);
      expect(planText).toContain(s.heading);
    }
    expect(apiSections.get('I').heading).toBe('ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN');
    expect(apiSections.get('II').heading).toBe('NHIỆM VỤ VÀ GIẢI PHÁP');
    expect(planText).toContain(`I. ${apiSections.get('I').heading}\n`);
    expect(planText).toContain(`II. ${apiSections.get('II').heading}\n`);
    expect(planText).toContain(`4. ${apiSections.get('II.4').heading}\n`);
    expect(planText).toContain(`đ) ${apiSections.get('II.4.đ').heading}:`);
  });

  it('gives section I its assessment body, each paragraph verbatim from the plan text', () => {
    const body: string = apiSections.get('I').body;
    expect(body).toBe(seedSections.find((s) => s.number === 'I')!.body);
    const paragraphs = body.split('\n\n');
    expect(paragraphs).toHaveLength(3);
    for (const paragraph of paragraphs) expect(planText).toContain(paragraph);
  });

  it('lists every task of the plan in document order through tasks(first: 100)', () => {
    const expectedCodes = seedTasks.map((x) => x.code);
    expect(expectedCodes).toEqual([
      'I.1',
      'II.1.1',
      'II.1.2',
      'II.2.1',
      'II.2.2',
      'II.3.a.1',
      'II.3.a.2',
      'II.3.a.3',
      'II.3.b.1',
      'II.4.a.1',
      'II.4.b.1',
      'II.4.b.2',
      'II.4.c.1',
      'II.4.c.2',
      'II.4.d.1',
      'II.4.d.2',
    ]);
    expect(plan.tasks.nodes.map((x: any) => x.code)).toEqual(expectedCodes);
    expect(plan.tasks.totalCount).toBe(expectedCodes.length);
    expect(plan.tasks.pageInfo.hasNextPage).toBe(false);
  });

  it('gives every task its verbatim text, position, section and plan', () => {
    for (const seed of seedTasks) {
      const task = plan.tasks.nodes.find((x: any) => x.code === seed.code);
      expect(task).toMatchObject({
        code: seed.code,
        position: seed.position,
        text: seed.text,
        section: { number: seed.section },
        plan: { code: '6408/KH-UBND' },
      });
      expect(planText).toContain(task.text);
    }
  });

  it("lists each section's own tasks in document order under PlanSection.tasks", () => {
    for (const seed of seedSections) {
      expect(apiSections.get(seed.number).tasks).toEqual(seed.tasks);
    }
  });

  it('finds every section with section(number:) and every task with task(code:), including "II.4.đ"', async () => {
    const query = `query($n: String!, $c: String!) { plan(code: "6408/KH-UBND") { section(number: $n) { number heading level } task(code: $c) { code text } } }`;
    const codes = seedTasks.map((x) => x.code);
    for (let i = 0; i < Math.max(seedSections.length, codes.length); i++) {
      const section = seedSections[i % seedSections.length];
      const task = seedTasks[i % seedTasks.length];
      const data = dataOf(await t.query(query, { n: section.number, c: task.code })).plan;
      expect(data.section).toEqual({ number: section.number, heading: section.heading, level: section.level });
      expect(data.task).toEqual({ code: task.code, text: task.text });
    }
    const dd = dataOf(await t.query(`{ plan(code: "6408/KH-UBND") { section(number: "II.4.đ") { number heading } } }`))
      .plan.section;
    expect(dd.number).toBe('II.4.đ');
    expect(dd.heading).toBe(
      'Sở Khoa học và Công nghệ, Sở Thông tin và Truyền thông, Sở Giáo dục và Đào tạo, Sở Y tế, Sở Văn hóa, Thể thao và Du lịch tổ chức thực hiện',
    );
  });

  it('answers null for a section number or task code the plan does not have', async () => {
    const data = dataOf(
      await t.query(
        `{ plan(code: "6408/KH-UBND") { section(number: "II.9") { number } task(code: "II.4.đ.1") { code } } }`,
      ),
    ).plan;
    expect(data).toEqual({ section: null, task: null });
  });

  it('gives every task the assignments the plan text makes', () => {
    for (const seed of seedTasks) {
      const task = plan.tasks.nodes.find((x: any) => x.code === seed.code);
      const actual = task.assignments.map((a: any) => ({
        role: a.role,
        basis: a.basis,
        agency: a.agency.code,
        section: a.section?.number ?? null,
      }));
      expect({ code: seed.code, assignments: [...actual].sort(byRoleAndAgency) }).toEqual({
        code: seed.code,
        assignments: expectedTaskAssignments(seed.section).sort(byRoleAndAgency),
      });
    }
  });

  it('gives II.3.a.* LEAD BD.SKHDT with COORDINATING BD.SNV, BD.STNMT and BD.SXD', () => {
    for (const code of ['II.3.a.1', 'II.3.a.2', 'II.3.a.3']) {
      const task = plan.tasks.nodes.find((x: any) => x.code === code);
      expect(task.assignments.filter((a: any) => a.role === 'LEAD').map((a: any) => a.agency.code)).toEqual([
        'BD.SKHDT',
      ]);
      expect(
        task.assignments
          .filter((a: any) => a.role === 'COORDINATING')
          .map((a: any) => a.agency.code)
          .sort(),
      ).toEqual(['BD.SNV', 'BD.STNMT', 'BD.SXD']);
      expect(task.assignments).toHaveLength(4);
    }
  });

  it('gives II.1.*, II.2.* and I.1 one LEAD by the issuer BD.UBND with basis PLAN_ISSUER and no section', () => {
    for (const code of ['I.1', 'II.1.1', 'II.1.2', 'II.2.1', 'II.2.2']) {
      const task = plan.tasks.nodes.find((x: any) => x.code === code);
      expect(task.assignments).toEqual([
        { role: 'LEAD', basis: 'PLAN_ISSUER', agency: { code: 'BD.UBND' }, section: null },
      ]);
    }
  });

  it('gives every task its lead agency: the one that leads, else the first implementing agency, else the issuer', () => {
    for (const seed of seedTasks) {
      const task = plan.tasks.nodes.find((x: any) => x.code === seed.code);
      expect({ code: seed.code, lead: task.leadAgency.code }).toEqual({
        code: seed.code,
        lead: expectedLead(seed.section),
      });
    }
    const lead = (code: string) => plan.tasks.nodes.find((x: any) => x.code === code).leadAgency.code;
    expect(lead('II.4.b.1')).toBe('BD.SGTVT');
    expect(lead('II.4.d.1')).toBe('BD.SCT');
    expect(lead('II.1.1')).toBe('BD.UBND');
  });

  it('gives II.4.đ sourceIncomplete true, no tasks and the five IMPLEMENTING agencies its text names', () => {
    const dd = apiSections.get('II.4.đ');
    expect(dd.sourceIncomplete).toBe(true);
    expect(dd.tasks).toEqual([]);
    const codes = ['BD.SKHCN', 'BD.STTTT', 'BD.SGDDT', 'BD.SYT', 'BD.SVHTTDL'];
    expect(dd.assignments.map((a: any) => a.agency.code).sort()).toEqual([...codes].sort());
    for (const a of dd.assignments) {
      expect(a).toMatchObject({ role: 'IMPLEMENTING', basis: 'SECTION', section: { number: 'II.4.đ' } });
    }
    // Each agency's name (without the province) is in the item's sentence of the plan text.
    for (const code of codes) {
      const name = seedAgencies.find((a) => a.code === code).name.replace(/ tỉnh Bình Dương$/, '');
      expect(dd.heading).toContain(name);
    }
    expect(planText).toContain(`đ) ${dd.heading}:`);
    expect(planText.trimEnd().endsWith(`${dd.heading}:`)).toBe(true);
  });

  it('marks sourceIncomplete on exactly the sections the text stops inside (II, II.4, II.4.đ)', () => {
    const incomplete = [...apiSections.values()]
      .filter((s) => s.sourceIncomplete)
      .map((s) => s.number)
      .sort();
    expect(incomplete).toEqual(['II', 'II.4', 'II.4.đ']);
  });

  it('gives every section the assignments its own text names, and [] for a section that names none', () => {
    for (const seed of seedSections) {
      const s = apiSections.get(seed.number);
      const named = TEXT_ASSIGNMENTS[seed.number] ?? [];
      const actual = s.assignments.map((a: any) => ({ role: a.role, agency: a.agency.code }));
      expect({ number: seed.number, assignments: [...actual].sort(byRoleAndAgency) }).toEqual({
        number: seed.number,
        assignments: [...named].sort(byRoleAndAgency),
      });
      for (const a of s.assignments) expect(a).toMatchObject({ basis: 'SECTION', section: { number: seed.number } });
    }
    for (const n of ['I', 'II', 'II.1', 'II.2', 'II.3', 'II.4']) expect(apiSections.get(n).assignments).toEqual([]);
  });

  it('counts in plan.projects every seed project linked to at least one task, each once, in code order', () => {
    const linked = seedProjects.filter((p) => p.taskCodes.length > 0).map((p) => p.code as string);
    expect(linked.length).toBeGreaterThan(0);
    expect(plan.projects.totalCount).toBe(linked.length);
    expect(plan.projects.nodes.map((p: any) => p.code)).toEqual(
      [...linked].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });

  it('answers null, without errors, for plan(code: "nope")', async () => {
    const response = await t.query(`{ plan(code: "nope") { code title } }`);
    expect(response.body.errors).toBeUndefined();
    expect(dataOf(response)).toEqual({ plan: null });
  });

  it('lists the plan in plans with the same ID it has under plan(code:)', async () => {
    const data = dataOf(await t.query(`{ plans(first: 10) { totalCount nodes { id code } } }`));
    expect(data.plans).toEqual({ totalCount: 1, nodes: [{ id: plan.id, code: '6408/KH-UBND' }] });
  });
});
