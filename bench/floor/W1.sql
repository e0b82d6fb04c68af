-- Floor of W1 plan-tree: the whole response body of bench/workloads/W1-plan-tree.graphql in one statement.
-- Sections in document position, three levels deep; each section's tasks in document order; a task's assignments by
-- position, or the plan's issuer as the only LEAD when the text names none; the first 50 projects of each task by
-- code (then id), archived ones left out; each project's funding mix with shares by amount, largest first, then by
-- funding source position, shares rounded to six places and null when the total is zero.
with
  pl as (select id, issuer_id from plans where code = 'SYN-PLAN-001'),
  sec as (select s.id, s.parent_id, s.number, s.heading, s.position from plan_sections s where s.plan_id = (select id from pl)),
  top_sec as (select id from sec where parent_id is null),
  mid_sec as (select id from sec where parent_id in (select id from top_sec)),
  task as (select t.id, t.section_id, t.sort_order, t.code, t.text from plan_tasks t where t.plan_id = (select id from pl)),
  linked as (
    select x.task_id, x.project_id, x.code, x.name, x.status, x.rn
    from (
      select pt.task_id, p.id as project_id, p.code, p.name, p.status,
             row_number() over (partition by pt.task_id order by p.code, p.id) as rn
      from project_tasks pt
      join projects p on p.id = pt.project_id
      where pt.task_id in (select id from task) and p.archived_at is null
    ) x
    where x.rn <= 50
  ),
  by_source as (
    select fa.project_id, fa.source_id, sum(fa.amount_vnd) as amount
    from funding_allocations fa
    where fa.project_id in (select project_id from linked)
    group by fa.project_id, fa.source_id
  ),
  totals as (select project_id, coalesce(sum(amount), 0) as total from by_source group by project_id),
  mix as (
    select t.project_id,
           json_build_object(
             'total', json_build_object('amount', trim_scale(t.total)::text),
             'shares', json_agg(
               json_build_object(
                 'source', json_build_object('code', fs.code),
                 'amount', json_build_object('amount', trim_scale(coalesce(b.amount, 0))::text),
                 'share', case when t.total > 0 then trim_scale(round(coalesce(b.amount, 0) / t.total, 6))::text end)
               order by coalesce(b.amount, 0) desc, fs.position)) as body
    from totals t
    join by_source b on b.project_id = t.project_id
    join funding_sources fs on fs.id = b.source_id
    group by t.project_id, t.total
  ),
  issuer as (
    select json_build_array(json_build_object('role', 'LEAD', 'agency', json_build_object('code', a.code, 'name', a.name))) as body
    from agencies a where a.id = (select issuer_id from pl)
  ),
  assigned as (
    select ta.task_id,
           json_agg(json_build_object('role', ta.role, 'agency', json_build_object('code', a.code, 'name', a.name)) order by ta.position) as body
    from task_assignments ta
    join agencies a on a.id = ta.agency_id
    where ta.task_id in (select id from task)
    group by ta.task_id
  ),
  task_projects as (
    select l.task_id,
           json_agg(
             json_build_object(
               'code', l.code, 'name', l.name, 'status', l.status,
               'fundingMix', coalesce(m.body, json_build_object('total', json_build_object('amount', '0'), 'shares', '[]'::json)))
             order by l.rn) as body
    from linked l
    left join mix m on m.project_id = l.project_id
    group by l.task_id
  ),
  section_tasks as (
    select t.section_id,
           json_agg(
             json_build_object(
               'code', t.code,
               'text', t.text,
               'assignments', coalesce(a.body, (select body from issuer)),
               'projects', json_build_object('nodes', coalesce(tp.body, '[]'::json)))
             order by t.sort_order) as body
    from task t
    left join assigned a on a.task_id = t.id
    left join task_projects tp on tp.task_id = t.id
    group by t.section_id
  ),
  leaf_sections as (
    select s.parent_id,
           json_agg(json_build_object('number', s.number, 'heading', s.heading, 'tasks', coalesce(st.body, '[]'::json)) order by s.position) as body
    from sec s
    left join section_tasks st on st.section_id = s.id
    where s.parent_id in (select id from mid_sec)
    group by s.parent_id
  ),
  mid_sections as (
    select s.parent_id,
           json_agg(
             json_build_object('number', s.number, 'heading', s.heading, 'tasks', coalesce(st.body, '[]'::json), 'children', coalesce(ls.body, '[]'::json))
             order by s.position) as body
    from sec s
    left join section_tasks st on st.section_id = s.id
    left join leaf_sections ls on ls.parent_id = s.id
    where s.id in (select id from mid_sec)
    group by s.parent_id
  ),
  top_sections as (
    select json_agg(
             json_build_object('number', s.number, 'heading', s.heading, 'tasks', coalesce(st.body, '[]'::json), 'children', coalesce(ms.body, '[]'::json))
             order by s.position) as body
    from sec s
    left join section_tasks st on st.section_id = s.id
    left join mid_sections ms on ms.parent_id = s.id
    where s.parent_id is null
  )
select json_build_object(
         'data', json_build_object(
           'plan', case when exists (select 1 from pl) then json_build_object('sections', coalesce((select body from top_sections), '[]'::json)) end)
       )::text as body
