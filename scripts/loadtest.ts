/**
 * Mixed-workload load test against a running registry:
 *   npm run loadtest -- --url http://127.0.0.1:4000 --duration 60 --connections 32 [--token <planner token>]
 * Nested plan reads, filtered pages with aggregates, fundingMix comparisons, node lookups of random projects and,
 * with a planner token, status changes toggling UNDER_CONSTRUCTION <-> SUSPENDED with tracked versions. Prints
 * requests per second, latency percentiles, errors by kind, and the server's resident memory at start and end.
 */
import autocannon from 'autocannon';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const base = new URL(arg('url', 'http://127.0.0.1:4000')!);
const duration = Number(arg('duration', '60'));
const connections = Number(arg('connections', '32'));
const token = arg('token');
if (
  !['http:', 'https:'].includes(base.protocol) ||
  !Number.isFinite(duration) ||
  duration <= 0 ||
  !Number.isInteger(connections) ||
  connections <= 0
) {
  console.error(
    'usage: npm run loadtest -- --url http://127.0.0.1:4000 --duration 60 --connections 32 [--token <planner token>]',
  );
  process.exit(2);
}
const graphqlUrl = new URL('/graphql', base).toString();

const PLAN = `query LoadPlan { plans(first: 5) { nodes { code } } }`;
const NESTED = `query LoadNestedPlan($code: String!) { plan(code: $code) { code title
  sections { number heading }
  tasks(first: 30) { totalCount nodes { code text projects(first: 10) { totalCount nodes { code name status version } } } } } }`;
const PAGE = `query LoadPage($filter: ProjectFilter) { projects(filter: $filter, first: 25) { totalCount
  nodes { code name status sector }
  aggregate { count byStatus { status count } bySector { sector count } } } }`;
const MIX = `query LoadMix($groupBy: FundingGroupBy!) { fundingMix(groupBy: $groupBy) { key label projectCount mix { total { amount } shares { share } } } }`;
const NODE = `query LoadNode($id: ID!) { node(id: $id) { id ... on Project { code status version } } }`;
const STATUS = `mutation LoadStatus($input: ChangeProjectStatusInput!) { changeProjectStatus(input: $input) { project { id status version } userErrors { code } } }`;

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

async function residentMemory(): Promise<string> {
  try {
    const text = await (await fetch(new URL('/metrics', base))).text();
    const bytes = Number(/^process_resident_memory_bytes (\S+)/m.exec(text)?.[1]);
    return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main() {
  const plans: string[] = ((await gql(PLAN)).data?.plans?.nodes ?? []).map((p: any) => p.code);
  const projects: { id: string; status: string; version: number }[] =
    (await gql(`{ projects(first: 100) { nodes { id status version } } }`)).data?.projects?.nodes ?? [];
  if (plans.length === 0 || projects.length === 0)
    throw new Error(`no plans or projects at ${graphqlUrl}; seed the database first`);
  const toggles = projects.filter((p) => p.status === 'UNDER_CONSTRUCTION' || p.status === 'SUSPENDED');
  const versions = new Map(toggles.map((p) => [p.id, p]));
  const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
  const filters = [
    null,
    { status: ['UNDER_CONSTRUCTION'] },
    { sector: ['TRANSPORT_ROAD', 'TRANSPORT_RAIL'] },
    { status: ['PLANNED', 'APPROVED'] },
  ];
  const groupings = ['PLAN', 'TASK', 'AGENCY'];
  const today = new Date().toISOString().slice(0, 10);

  const kinds: string[] = ['nested', 'page', 'mix', 'node', 'node'];
  if (token && toggles.length > 0) kinds.push('status');
  const errors = new Map<string, number>();
  const count = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1);

  const memoryStart = await residentMemory();
  console.log(
    `load test: ${graphqlUrl}, ${duration} s, ${connections} connections, mix ${kinds.join('/')}; ${projects.length} projects, ${toggles.length} togglable`,
  );

  const instance = autocannon({
    url: graphqlUrl,
    method: 'POST',
    duration,
    connections,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    requests: [
      {
        setupRequest(request: any, context: any) {
          const kind = pick(kinds);
          context.kind = kind;
          let body: unknown;
          switch (kind) {
            case 'nested':
              body = { query: NESTED, variables: { code: pick(plans) } };
              break;
            case 'page':
              body = { query: PAGE, variables: { filter: pick(filters) } };
              break;
            case 'mix':
              body = { query: MIX, variables: { groupBy: pick(groupings) } };
              break;
            case 'status': {
              const p = pick(toggles);
              const current = versions.get(p.id)!;
              context.projectId = p.id;
              const next = current.status === 'UNDER_CONSTRUCTION' ? 'SUSPENDED' : 'UNDER_CONSTRUCTION';
              body = {
                query: STATUS,
                variables: {
                  input: {
                    projectId: p.id,
                    status: next,
                    effectiveOn: today,
                    note: 'load test',
                    expectedVersion: current.version,
                  },
                },
              };
              break;
            }
            default:
              body = { query: NODE, variables: { id: pick(projects).id } };
          }
          return { ...request, body: JSON.stringify(body) };
        },
        onResponse(status: number, body: string, context: any) {
          if (status !== 200) count(`HTTP ${status}`);
          let parsed: any;
          try {
            parsed = JSON.parse(body);
          } catch {
            count('unparseable body');
            return;
          }
          for (const e of parsed.errors ?? []) count(`GraphQL ${e.extensions?.code ?? 'no code'}`);
          const payload = parsed.data?.changeProjectStatus;
          if (payload) {
            for (const e of payload.userErrors ?? []) count(`userError ${e.code}`);
            if (payload.project) versions.set(payload.project.id, payload.project);
            else if (payload.userErrors?.some((e: any) => e.code === 'VERSION_CONFLICT')) {
              // Another connection won; learn the current version for the next try.
              void gql(NODE, { id: context.projectId }).then(
                (r) => r.data?.node && versions.set(context.projectId, r.data.node),
                () => {},
              );
            }
          }
        },
      },
    ],
  } as any) as unknown as autocannon.Instance; // without a callback it is both the instance and a promise
  autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  const result: any = await new Promise((resolve) => instance.on('done', resolve));
  const memoryEnd = await residentMemory();

  console.log('');
  console.log(
    `requests:        ${result.requests.total} in ${result.duration} s (${result.requests.average.toFixed(1)} req/s average)`,
  );
  console.log(
    `latency (ms):    p50 ${result.latency.p50}  p90 ${result.latency.p90}  p97.5 ${result.latency.p97_5}  p99 ${result.latency.p99}  max ${result.latency.max}`,
  );
  const p95 = result.latency.p95 ?? result.latency.p97_5;
  console.log(`                 p95 ${p95}  mean ${result.latency.mean.toFixed(1)}`);
  console.log(
    `responses:       2xx ${result['2xx']}  non-2xx ${result.non2xx}  socket errors ${result.errors}  timeouts ${result.timeouts}`,
  );
  console.log(
    `errors by kind:  ${
      errors.size === 0
        ? 'none'
        : [...errors]
            .sort((a, b) => b[1] - a[1])
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ')
    }`,
  );
  console.log(`server memory:   ${memoryStart} at start, ${memoryEnd} at end (process_resident_memory_bytes)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
