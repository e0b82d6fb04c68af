-- Floor of W3 funding-compare: the whole response body of bench/workloads/W3-funding-compare.graphql in one statement.
-- Over the projects not archived: one group per sector (labelled with the OC4IDS sector titles the API shows), and
-- one per agency holding today the duties of the lead agency of a task the project serves (each project once per
-- agency). Groups come largest total first, then by key; shares largest amount first, then by funding source
-- position, rounded to six places (null when the total is zero); knownShare is the part of the group's allocations
-- whose amount is known, to six places.
with
  sector_labels(sector, label) as (
    values ('EDUCATION', 'Education'), ('HEALTH', 'Health'), ('ENERGY', 'Energy'), ('ENERGY_SOLAR', 'Solar energy'),
           ('ENERGY_WIND', 'Wind energy'), ('ENERGY_HYDROPOWER', 'Hydropower energy'), ('ENERGY_BIOMASS', 'Biomass energy'),
           ('ENERGY_GEOTHERMAL', 'Geothermal energy'), ('COMMUNICATIONS', 'Communications'), ('WATER_AND_WASTE', 'Water and waste'),
           ('GOVERNANCE', 'Governance'), ('ECONOMY', 'Economy'), ('CULTURE_SPORTS_AND_RECREATION', 'Culture, sports and recreation'),
           ('TRANSPORT', 'Transport'), ('TRANSPORT_AIR', 'Air transport'), ('TRANSPORT_WATER', 'Water transport'),
           ('TRANSPORT_RAIL', 'Rail transport'), ('TRANSPORT_ROAD', 'Road transport'), ('TRANSPORT_URBAN', 'Urban transport'),
           ('TRANSPORT_LOW_CARBON', 'Low-carbon transport'), ('SOCIAL_HOUSING', 'Social housing'),
           ('NATURAL_RESOURCES', 'Natural resources'), ('NATURAL_RESOURCES_FLOOD_PROTECTION', 'Flood protection')
  ),
  -- Each (current lead agency, project) pair once, on integers.
  agency_pairs as materialized (
    select distinct ac.current_id as agency_id, pt.project_id
    from project_tasks pt
    join projects p on p.id = pt.project_id and p.archived_at is null
    join task_lead_agencies tla on tla.task_id = pt.task_id
    join agency_current ac on ac.agency_id = tla.agency_id
  ),
  -- Groups of both groupings: g = 1 by sector, g = 2 by agency; gid orders groups of equal total and key.
  groups as (
    select 1 as g, p.sector::text as gid, p.sector::text as key, min(l.label) as label, count(*) as project_count
    from projects p join sector_labels l on l.sector = p.sector::text
    where p.archived_at is null
    group by p.sector
    union all
    select 2, ap.agency_id::text, min(a.code), min(a.name), count(*)
    from agency_pairs ap join agencies a on a.id = ap.agency_id
    group by ap.agency_id
  ),
  by_source as (
    select 1 as g, p.sector::text as gid, fa.source_id, sum(fa.amount_vnd) as amount, count(*) as allocations, count(fa.amount_vnd) as known
    from projects p join funding_allocations fa on fa.project_id = p.id
    where p.archived_at is null
    group by p.sector, fa.source_id
    union all
    select 2, ap.agency_id::text, fa.source_id, sum(fa.amount_vnd), count(*), count(fa.amount_vnd)
    from agency_pairs ap join funding_allocations fa on fa.project_id = ap.project_id
    group by ap.agency_id, fa.source_id
  ),
  mixes as (
    select b.g, b.gid, t.total, sum(b.allocations) as allocations, sum(b.known) as known,
           json_agg(
             json_build_object(
               'source', json_build_object('code', fs.code),
               'share', case when t.total > 0 then trim_scale(round(coalesce(b.amount, 0) / t.total, 6))::text end)
             order by coalesce(b.amount, 0) desc, fs.position) as shares
    from by_source b
    join (select g, gid, coalesce(sum(amount), 0) as total from by_source group by g, gid) t on t.g = b.g and t.gid = b.gid
    join funding_sources fs on fs.id = b.source_id
    group by b.g, b.gid, t.total
  ),
  rendered as (
    select gr.g, coalesce(m.total, 0) as total, gr.key, gr.gid,
           json_build_object(
             'key', gr.key,
             'label', coalesce(gr.label, gr.key),
             'projectCount', gr.project_count,
             'mix', json_build_object(
               'total', json_build_object('amount', trim_scale(coalesce(m.total, 0))::text),
               'knownShare', case when coalesce(m.allocations, 0) = 0 then '0' else trim_scale(round(m.known::numeric / m.allocations, 6))::text end,
               'shares', coalesce(m.shares, '[]'::json))) as body
    from groups gr left join mixes m on m.g = gr.g and m.gid = gr.gid
  )
select json_build_object(
         'data', json_build_object(
           'bySector', coalesce((select json_agg(body order by total desc, key, gid) from rendered where g = 1), '[]'::json),
           'byAgency', coalesce((select json_agg(body order by total desc, key, gid) from rendered where g = 2), '[]'::json))
       )::text as body
