-- Diacritics-insensitive search: unaccent folds Vietnamese letters to ASCII (đ → d, ộ → o) and pg_trgm indexes
-- substrings. Both ship with PostgreSQL's contrib and with PGlite; both are trusted extensions, so the database
-- owner may create them.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- unaccent() is only STABLE (it reads a dictionary), so an index cannot use it directly. This wrapper names the
-- dictionary explicitly, which makes the result fixed for a given input.
CREATE OR REPLACE FUNCTION registry_fold(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$;
