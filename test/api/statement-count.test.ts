import { readSeedData, seedDatabase } from '../../seeds/load';
import { dataOf, startTestApp, type TestApp } from '../helpers/test-app';
import { multiplySeedData } from '../helpers/tenfold';

/** The deepest read a frontend makes: the whole plan tree with every project's funding and sources. */
const DEEP_PLAN_QUERY = /* GraphQL */ `
  query DeepPlan($code: String!) {
    plan(code: $code) {
      code
      issuer {
        code
        current {
          code
        }
      }
      legalBasis {
        relation
        document {
          code
        }
      }
      targets {
        year
      }
      fundingMix {
        total {
          amount
        }
        knownShare
        shares {
          source {
            code
          }
          amount {
            amount
          }
          share
        }
      }
      sections {
        number
        assignments {
          role
          agency {
            code
          }
        }
        tasks {
          code
        }
        children {
          number
          assignments {
            role
            agency {
              code
              current {
                code
              }
            }
          }
          children {
            number
            tasks {
              code
              assignments {
                role
                basis
                agency {
                  code
                  current {
                    code
                  }
                  successors {
                    agency {
                      code
                    }
                  }
                }
              }
              leadAgency {
                code
              }
              fundingMix {
                total {
                  amount
                }
                knownShare
              }
              projects(first: 100) {
                totalCount
                nodes {
                  code
                  status
                  ownerAgency {
                    code
                  }
                  statusHistory {
                    status
                    effectiveOn
                    sources {
                      url
                    }
                  }
                  locations {
                    name
                  }
                  tasks {
                    code
                  }
                  funding {
                    source {
                      code
                    }
                    amount {
                      amount
                      currency
                    }
                    amountVnd
                    sources {
                      url
                      quote
                    }
                  }
                  fundingMix {
                    total {
                      amount
                    }
                    shares {
                      source {
                        code
                      }
                      share
                    }
                  }
                  sources {
                    url
                    supports
                  }
                }
              }
            }
          }
          tasks {
            code
            assignments {
              role
              agency {
                code
              }
            }
            projects(first: 100) {
              totalCount
              nodes {
                code
                funding {
                  amountVnd
                  sources {
                    url
                  }
                }
                sources {
                  url
                }
              }
            }
          }
        }
      }
    }
  }
`;

describe('SQL statements per request', () => {
  let seeded: TestApp;
  let tenfold: TestApp;

  beforeAll(async () => {
    seeded = await startTestApp();
    // A second database holding the same plan with ten times the tasks and projects.
    tenfold = await startTestApp({ seedOnStart: false });
    await seedDatabase(tenfold.app.database.db, multiplySeedData(readSeedData(), 10));
  });

  afterAll(async () => {
    await seeded?.stop();
    await tenfold?.stop();
  });

  it('answers the deepest plan query with the same small number of statements on ten times the data', async () => {
    const small = await seeded.query(DEEP_PLAN_QUERY, { code: '6408/KH-UBND' });
    const large = await tenfold.query(DEEP_PLAN_QUERY, { code: '6408/KH-UBND' });
    const smallTasks = countTasks(dataOf(small).plan);
    const largeTasks = countTasks(dataOf(large).plan);
    const smallProjects = countProjectLinks(dataOf(small).plan);
    const largeProjects = countProjectLinks(dataOf(large).plan);

    expect(largeTasks).toBe(smallTasks * 10);
    expect(largeProjects).toBeGreaterThanOrEqual(smallProjects * 10);
    expect(smallProjects).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeLessThanOrEqual(30);
  });

  it('reads a page of projects with funding in a number of statements that does not grow with the page', async () => {
    const query = `query($first: Int) { projects(first: $first) { totalCount nodes { code funding { amountVnd sources { url } } fundingMix { knownShare } tasks { code } } } }`;
    const one = await tenfold.query(query, { first: 1 });
    const hundred = await tenfold.query(query, { first: 100 });
    expect(dataOf(one).projects.nodes).toHaveLength(1);
    expect(dataOf(hundred).projects.nodes.length).toBeGreaterThan(50);
    expect(hundred.statements).toBe(one.statements);
  });
});

function countTasks(plan: any): number {
  let n = 0;
  const walk = (section: any) => {
    n += section.tasks?.length ?? 0;
    for (const child of section.children ?? []) walk(child);
  };
  plan.sections.forEach(walk);
  return n;
}

function countProjectLinks(plan: any): number {
  let n = 0;
  const walk = (section: any) => {
    for (const task of section.tasks ?? []) n += task.projects?.nodes.length ?? 0;
    for (const child of section.children ?? []) walk(child);
  };
  plan.sections.forEach(walk);
  return n;
}
