CREATE UNIQUE INDEX "agencies_code_lower_key" ON "agencies" USING btree (lower("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "plans_code_lower_key" ON "plans" USING btree (lower("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "projects_code_lower_key" ON "projects" USING btree (lower("code"));