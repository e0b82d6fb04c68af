-- Floor of W2 portfolio-page: the whole response body of bench/workloads/W2-portfolio-page.graphql in one statement.
-- The set: projects not archived, UNDER_CONSTRUCTION or APPROVED, in TRANSPORT_ROAD or TRANSPORT_URBAN, whose folded
-- search text contains the folded word "đường". The page: the first 50 by total investment in VND, largest first and
-- unknown last, then by id. Buckets by status and by sector in the order of their names as text; funding by source
-- over the whole set and per project, largest amount first, then by funding source position.
with
  selected as materialized (
    select p.id, p.code, p.name, p.status, p.sector, p.total_investment_vnd
    from projects p
    where p.archived_at is null
      and p.status in ('UNDER_CONSTRUCTION', 'APPROVED')
      and p.sector in ('TRANSPORT_ROAD', 'TRANSPORT_URBAN')
      and p.search_text like ('%' || registry_fold('đường') || '%')
  ),
  page as (
    select s.id, s.code, s.name, s.status, s.total_investment_vnd,
           row_number() over (order by s.total_investment_vnd desc nulls last, s.id) as rn
    from selected s
    order by s.total_investment_vnd desc nulls last, s.id
    limit 50
  ),
  set_sources as (
    select fa.source_id, sum(fa.amount_vnd) as amount
    from funding_allocations fa
    where fa.project_id in (select id from selected)
    group by fa.source_id
  ),
  set_total as (select coalesce(sum(amount), 0) as total from set_sources),
  page_sources as (
    select fa.project_id, fa.source_id, sum(fa.amount_vnd) as amount
    from funding_allocations fa
    where fa.project_id in (select id from page)
    group by fa.project_id, fa.source_id
  ),
  page_totals as (select project_id, coalesce(sum(amount), 0) as total from page_sources group by project_id),
  page_mix as (
    select t.project_id,
           json_build_object(
             'total', json_build_object('amount', trim_scale(t.total)::text),
             'shares', json_agg(
               json_build_object(
                 'source', json_build_object('code', fs.code),
                 'share', case when t.total > 0 then trim_scale(round(coalesce(b.amount, 0) / t.total, 6))::text end)
               order by coalesce(b.amount, 0) desc, fs.position)) as body
    from page_totals t
    join page_sources b on b.project_id = t.project_id
    join funding_sources fs on fs.id = b.source_id
    group by t.project_id, t.total
  ),
  by_status as (
    select s.status::text as status, count(*) as n, coalesce(sum(s.total_investment_vnd), 0) as total
    from selected s group by s.status
  ),
  by_sector as (select s.sector::text as sector, count(*) as n from selected s group by s.sector)
select json_build_object(
         'data', json_build_object(
           'projects', json_build_object(
             'totalCount', (select count(*) from selected),
             'aggregate', json_build_object(
               'count', (select count(*) from selected),
               'totalInvestment', json_build_object('amount', (select trim_scale(coalesce(sum(total_investment_vnd), 0))::text from selected)),
               'byStatus', coalesce(
                 (select json_agg(json_build_object('status', status, 'count', n, 'totalInvestment', json_build_object('amount', trim_scale(total)::text))
                                  order by status)
                  from by_status),
                 '[]'::json),
               'bySector', coalesce((select json_agg(json_build_object('sector', sector, 'count', n) order by sector) from by_sector), '[]'::json),
               'byFundingSource', coalesce(
                 (select json_agg(
                           json_build_object(
                             'source', json_build_object('code', fs.code),
                             'amount', json_build_object('amount', trim_scale(coalesce(ss.amount, 0))::text),
                             'share', case when st.total > 0 then trim_scale(round(coalesce(ss.amount, 0) / st.total, 6))::text end)
                           order by coalesce(ss.amount, 0) desc, fs.position)
                  from set_sources ss cross join set_total st join funding_sources fs on fs.id = ss.source_id),
                 '[]'::json)),
             'nodes', coalesce(
               (select json_agg(
                         json_build_object(
                           'code', pg.code,
                           'name', pg.name,
                           'status', pg.status,
                           'totalInvestmentVnd', trim_scale(pg.total_investment_vnd)::text,
                           'fundingMix', coalesce(m.body, json_build_object('total', json_build_object('amount', '0'), 'shares', '[]'::json)))
                         order by pg.rn)
                from page pg left join page_mix m on m.project_id = pg.id),
               '[]'::json)))
       )::text as body
