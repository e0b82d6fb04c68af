DROP INDEX "funding_allocations_financier_idx";--> statement-breakpoint
DROP INDEX "projects_planned_completion_idx";--> statement-breakpoint
DROP INDEX "projects_total_investment_vnd_idx";--> statement-breakpoint
DROP INDEX "projects_status_changed_on_idx";--> statement-breakpoint
DROP INDEX "projects_name_idx";--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "projects_search_text_trgm_idx" ON "projects" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "funding_allocations_financier_idx" ON "funding_allocations" USING btree (lower("financier"));--> statement-breakpoint
CREATE INDEX "projects_planned_completion_idx" ON "projects" USING btree ("planned_completion","id");--> statement-breakpoint
CREATE INDEX "projects_total_investment_vnd_idx" ON "projects" USING btree ("total_investment_vnd","id");--> statement-breakpoint
CREATE INDEX "projects_status_changed_on_idx" ON "projects" USING btree ("status_changed_on","id");--> statement-breakpoint
CREATE INDEX "projects_name_idx" ON "projects" USING btree ("name","id");