-- projects.search_text: code, names, description and location names, folded by registry_fold, for
-- diacritics-insensitive search through the trigram index. Triggers keep it current whoever writes.
CREATE OR REPLACE FUNCTION project_search_document(p_code text, p_name text, p_name_en text, p_description text, p_locations text)
  RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT registry_fold(concat_ws(' ', p_code, p_name, p_name_en, p_description, p_locations)) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION projects_search_text_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := project_search_document(
    NEW.code, NEW.name, NEW.name_en, NEW.description,
    (SELECT string_agg(l.name, ' ' ORDER BY l.position) FROM project_locations l WHERE l.project_id = NEW.id));
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER projects_search_text BEFORE INSERT OR UPDATE OF code, name, name_en, description ON projects
  FOR EACH ROW EXECUTE FUNCTION projects_search_text_trigger();
--> statement-breakpoint
-- Locations change a project's document: refresh each touched project once per statement (bulk loads stay fast).
CREATE OR REPLACE FUNCTION project_locations_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE projects p
     SET search_text = project_search_document(p.code, p.name, p.name_en, p.description,
           (SELECT string_agg(l.name, ' ' ORDER BY l.position) FROM project_locations l WHERE l.project_id = p.id))
   WHERE p.id IN (SELECT project_id FROM changed_locations);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER project_locations_search_insert AFTER INSERT ON project_locations
  REFERENCING NEW TABLE AS changed_locations FOR EACH STATEMENT EXECUTE FUNCTION project_locations_search_refresh();
--> statement-breakpoint
CREATE TRIGGER project_locations_search_update AFTER UPDATE ON project_locations
  REFERENCING NEW TABLE AS changed_locations FOR EACH STATEMENT EXECUTE FUNCTION project_locations_search_refresh();
--> statement-breakpoint
CREATE TRIGGER project_locations_search_delete AFTER DELETE ON project_locations
  REFERENCING OLD TABLE AS changed_locations FOR EACH STATEMENT EXECUTE FUNCTION project_locations_search_refresh();
--> statement-breakpoint
UPDATE projects p
   SET search_text = project_search_document(p.code, p.name, p.name_en, p.description,
         (SELECT string_agg(l.name, ' ' ORDER BY l.position) FROM project_locations l WHERE l.project_id = p.id));
--> statement-breakpoint
-- The agency holding each agency's duties today: follow successions forward (the latest where there are several)
-- until an agency with none. Depth is capped so bad data cannot loop.
CREATE VIEW agency_current AS
WITH RECURSIVE chain(agency_id, current_id, depth) AS (
  SELECT a.id, a.id, 0 FROM agencies a
  UNION ALL
  SELECT c.agency_id, next.successor_id, c.depth + 1
  FROM chain c
  CROSS JOIN LATERAL (
    SELECT s.successor_id FROM agency_successions s
    WHERE s.predecessor_id = c.current_id
    ORDER BY s.effective_on DESC, s.id DESC LIMIT 1
  ) next
  WHERE c.depth < 50
)
SELECT DISTINCT ON (agency_id) agency_id, current_id FROM chain ORDER BY agency_id, depth DESC;
--> statement-breakpoint
-- Projects an agency answers for: those it owns, and those serving tasks the plan assigns it (any role).
CREATE VIEW agency_project_links AS
SELECT p.owner_agency_id AS agency_id, p.id AS project_id FROM projects p WHERE p.owner_agency_id IS NOT NULL
UNION
SELECT ta.agency_id, pt.project_id FROM task_assignments ta JOIN project_tasks pt ON pt.task_id = ta.task_id;
--> statement-breakpoint
-- The agency leading each task: the LEAD the text names, else its implementing agencies, else the plan's issuer.
CREATE VIEW task_lead_agencies AS
SELECT t.id AS task_id, coalesce(l.agency_id, pl.issuer_id) AS agency_id
FROM plan_tasks t
JOIN plans pl ON pl.id = t.plan_id
LEFT JOIN LATERAL (
  SELECT ta.agency_id FROM task_assignments ta
  WHERE ta.task_id = t.id
    AND (ta.role = 'LEAD'
         OR (ta.role = 'IMPLEMENTING' AND NOT EXISTS (
               SELECT 1 FROM task_assignments x WHERE x.task_id = t.id AND x.role = 'LEAD')))
) l ON true;
