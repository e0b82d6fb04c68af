-- Floor of W4 node: the whole response body of bench/workloads/W4-node.graphql in one statement, for the project
-- whose database id is $1 (the floor server decodes the global ID). Status history oldest first, then by id; null
-- when no project has the id.
select json_build_object(
         'data', json_build_object(
           'node', (
             select json_build_object(
                      'code', p.code,
                      'name', p.name,
                      'status', p.status,
                      'statusHistory', coalesce(
                        (select json_agg(json_build_object('status', c.status, 'effectiveOn', c.effective_on, 'note', c.note) order by c.effective_on, c.id)
                         from project_status_changes c where c.project_id = p.id),
                        '[]'::json))
             from projects p where p.id = $1::int))
       )::text as body
