import type { SeedData } from '../../seeds/load';
import type { SeedSection } from '../../seeds/types';

/**
 * The seed data multiplied by `factor`: every section holds its tasks `factor` times, and every project appears
 * `factor` times, each copy linked to the matching copy of its tasks. Same plan code, same shape, more rows.
 */
export function multiplySeedData(data: SeedData, factor: number): SeedData {
  const sectionSizes = new Map<string, number>();
  const multiplySection = (section: SeedSection): SeedSection => {
    const tasks = section.tasks ?? [];
    sectionSizes.set(section.number, tasks.length);
    return {
      ...section,
      tasks: Array.from({ length: factor }, (_, copy) =>
        tasks.map((t) => ({ text: copy === 0 ? t.text : `${t.text} [${copy}]` })),
      ).flat(),
      children: section.children?.map(multiplySection),
    };
  };
  const plans = data.plans.map((plan) => ({ ...plan, sections: plan.sections.map(multiplySection) }));
  const taskCopy = (code: string, copy: number) => {
    const cut = code.lastIndexOf('.');
    const section = code.slice(0, cut);
    const position = Number(code.slice(cut + 1));
    return `${section}.${copy * sectionSizes.get(section)! + position}`;
  };
  const projects = data.projects.flatMap((project) =>
    Array.from({ length: factor }, (_, copy) => ({
      ...project,
      code: copy === 0 ? project.code : `${project.code}-COPY${copy}`,
      taskCodes: project.taskCodes.map((code) => taskCopy(code, copy)),
    })),
  );
  return { ...data, plans, projects };
}
