CREATE TYPE "public"."agency_kind" AS ENUM('PEOPLES_COMMITTEE', 'PEOPLES_COUNCIL', 'DEPARTMENT', 'MINISTRY', 'GOVERNMENT', 'PARTY_BODY', 'NATIONAL_ASSEMBLY', 'PROJECT_MANAGEMENT_BOARD', 'STATE_ENTERPRISE', 'COMPANY', 'DEVELOPMENT_PARTNER', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."allocation_status" AS ENUM('PROPOSED', 'PLANNED', 'COMMITTED', 'DISBURSED');--> statement-breakpoint
CREATE TYPE "public"."assignment_role" AS ENUM('LEAD', 'COORDINATING', 'IMPLEMENTING');--> statement-breakpoint
CREATE TYPE "public"."confidence" AS ENUM('HIGH', 'MEDIUM', 'LOW');--> statement-breakpoint
CREATE TYPE "public"."funding_category" AS ENUM('PUBLIC', 'CONCESSIONAL', 'PRIVATE', 'MIXED', 'LAND_BASED', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."legal_document_kind" AS ENUM('PARTY_RESOLUTION', 'PARTY_CONCLUSION', 'PARTY_PROGRAMME', 'LAW', 'NATIONAL_ASSEMBLY_RESOLUTION', 'DECREE', 'DECISION', 'PLAN', 'OFFICIAL_LETTER', 'COUNCIL_RESOLUTION', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."legal_relation" AS ENUM('IMPLEMENTS', 'BASED_ON', 'PROPOSED_BY', 'EARLIER_PROGRAMME');--> statement-breakpoint
CREATE TYPE "public"."location_level" AS ENUM('COUNTRY', 'PROVINCE', 'DISTRICT', 'COMMUNE', 'CORRIDOR', 'SITE');--> statement-breakpoint
CREATE TYPE "public"."project_sector" AS ENUM('EDUCATION', 'HEALTH', 'ENERGY', 'ENERGY_SOLAR', 'ENERGY_WIND', 'ENERGY_HYDROPOWER', 'ENERGY_BIOMASS', 'ENERGY_GEOTHERMAL', 'COMMUNICATIONS', 'WATER_AND_WASTE', 'GOVERNANCE', 'ECONOMY', 'CULTURE_SPORTS_AND_RECREATION', 'TRANSPORT', 'TRANSPORT_AIR', 'TRANSPORT_WATER', 'TRANSPORT_RAIL', 'TRANSPORT_ROAD', 'TRANSPORT_URBAN', 'TRANSPORT_LOW_CARBON', 'SOCIAL_HOUSING', 'NATURAL_RESOURCES', 'NATURAL_RESOURCES_FLOOD_PROTECTION');--> statement-breakpoint
CREATE TYPE "public"."project_status" AS ENUM('PLANNED', 'PREPARATION', 'APPROVED', 'UNDER_CONSTRUCTION', 'COMPLETED', 'SUSPENDED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."project_type" AS ENUM('CONSTRUCTION', 'REHABILITATION', 'REPLACEMENT', 'EXPANSION', 'DECOMMISSIONING');--> statement-breakpoint
CREATE TYPE "public"."succession_kind" AS ENUM('MERGER', 'RENAME', 'TRANSFER', 'SPLIT');--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agencies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"kind" "agency_kind" NOT NULL,
	"jurisdiction_code" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agencies_valid_range_check" CHECK ("agencies"."valid_to" is null or "agencies"."valid_from" is null or "agencies"."valid_to" > "agencies"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "agency_sources" (
	"agency_id" integer NOT NULL,
	"source_id" integer NOT NULL,
	"supports" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "agency_sources_pkey" PRIMARY KEY("agency_id","source_id","supports")
);
--> statement-breakpoint
CREATE TABLE "agency_successions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agency_successions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"predecessor_id" integer NOT NULL,
	"successor_id" integer NOT NULL,
	"kind" "succession_kind" NOT NULL,
	"effective_on" date NOT NULL,
	"date_inferred" boolean DEFAULT false NOT NULL,
	"document_id" integer,
	"reason" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agency_successions_distinct_check" CHECK ("agency_successions"."predecessor_id" <> "agency_successions"."successor_id")
);
--> statement-breakpoint
CREATE TABLE "allocation_sources" (
	"allocation_id" integer NOT NULL,
	"source_id" integer NOT NULL,
	"supports" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "allocation_sources_pkey" PRIMARY KEY("allocation_id","source_id","supports")
);
--> statement-breakpoint
CREATE TABLE "funding_allocations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "funding_allocations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"source_id" integer NOT NULL,
	"financier" text,
	"amount" numeric(24, 2),
	"currency" char(3) NOT NULL,
	"rate_to_vnd" numeric(20, 6),
	"rate_date" date,
	"rate_note" text,
	"amount_vnd" numeric(24, 2),
	"status" "allocation_status" NOT NULL,
	"fiscal_year" integer,
	"note" text,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_allocations_amount_check" CHECK ("funding_allocations"."amount" is null or "funding_allocations"."amount" >= 0),
	CONSTRAINT "funding_allocations_currency_check" CHECK ("funding_allocations"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "funding_allocations_rate_check" CHECK ("funding_allocations"."rate_to_vnd" is null or "funding_allocations"."rate_to_vnd" > 0),
	CONSTRAINT "funding_allocations_rate_date_check" CHECK (("funding_allocations"."rate_to_vnd" is null) = ("funding_allocations"."rate_date" is null) or "funding_allocations"."currency" = 'VND'),
	CONSTRAINT "funding_allocations_vnd_check" CHECK (("funding_allocations"."amount" is null and "funding_allocations"."amount_vnd" is null)
        or ("funding_allocations"."currency" = 'VND' and "funding_allocations"."amount_vnd" = "funding_allocations"."amount")
        or ("funding_allocations"."currency" <> 'VND' and "funding_allocations"."amount" is not null and ("funding_allocations"."rate_to_vnd" is null) = ("funding_allocations"."amount_vnd" is null))),
	CONSTRAINT "funding_allocations_fiscal_year_check" CHECK ("funding_allocations"."fiscal_year" is null or "funding_allocations"."fiscal_year" between 1900 and 2200)
);
--> statement-breakpoint
CREATE TABLE "funding_sources" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "funding_sources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"category" "funding_category" NOT NULL,
	"description" text,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "legal_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"kind" "legal_document_kind" NOT NULL,
	"title" text NOT NULL,
	"title_en" text,
	"issued_on" date,
	"issuer" text NOT NULL,
	"url" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_legal_bases" (
	"plan_id" integer NOT NULL,
	"document_id" integer NOT NULL,
	"relation" "legal_relation" NOT NULL,
	"position" integer NOT NULL,
	"note" text,
	CONSTRAINT "plan_legal_bases_pkey" PRIMARY KEY("plan_id","document_id","relation")
);
--> statement-breakpoint
CREATE TABLE "plan_sections" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_sections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"plan_id" integer NOT NULL,
	"parent_id" integer,
	"number" text NOT NULL,
	"heading" text NOT NULL,
	"body" text,
	"level" integer NOT NULL,
	"position" integer NOT NULL,
	"source_incomplete" boolean DEFAULT false NOT NULL,
	"note" text,
	CONSTRAINT "plan_sections_level_check" CHECK ("plan_sections"."level" >= 1)
);
--> statement-breakpoint
CREATE TABLE "plan_targets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_targets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"plan_id" integer NOT NULL,
	"year" integer NOT NULL,
	"text" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "plan_targets_year_check" CHECK ("plan_targets"."year" between 1900 and 2200)
);
--> statement-breakpoint
CREATE TABLE "plan_tasks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_tasks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"plan_id" integer NOT NULL,
	"section_id" integer NOT NULL,
	"code" text NOT NULL,
	"position" integer NOT NULL,
	"sort_order" integer NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "plan_tasks_position_check" CHECK ("plan_tasks"."position" >= 1)
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"title" text NOT NULL,
	"title_en" text,
	"issued_on" date NOT NULL,
	"issuer_id" integer NOT NULL,
	"place" text,
	"source_text" text,
	"source_complete" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_locations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_locations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"name" text NOT NULL,
	"level" "location_level" NOT NULL,
	"description" text,
	"geometry" jsonb,
	"position" integer NOT NULL,
	CONSTRAINT "project_locations_geometry_check" CHECK ("project_locations"."geometry" is null or jsonb_typeof("project_locations"."geometry") = 'object')
);
--> statement-breakpoint
CREATE TABLE "project_sources" (
	"project_id" integer NOT NULL,
	"source_id" integer NOT NULL,
	"supports" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "project_sources_pkey" PRIMARY KEY("project_id","source_id","supports")
);
--> statement-breakpoint
CREATE TABLE "project_status_changes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_status_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"status" "project_status" NOT NULL,
	"effective_on" date NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_tasks" (
	"project_id" integer NOT NULL,
	"task_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_tasks_pkey" PRIMARY KEY("project_id","task_id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "projects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"description" text,
	"sector" "project_sector" NOT NULL,
	"type" "project_type" NOT NULL,
	"status" "project_status" NOT NULL,
	"status_changed_on" date,
	"owner_agency_id" integer,
	"planned_start" date,
	"planned_completion" date,
	"length_km" numeric(10, 3),
	"total_investment_amount" numeric(24, 2),
	"total_investment_currency" char(3),
	"total_investment_rate_to_vnd" numeric(20, 6),
	"total_investment_rate_date" date,
	"total_investment_vnd" numeric(24, 2),
	"total_investment_note" text,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_version_check" CHECK ("projects"."version" >= 1),
	CONSTRAINT "projects_length_check" CHECK ("projects"."length_km" is null or "projects"."length_km" >= 0),
	CONSTRAINT "projects_period_check" CHECK ("projects"."planned_start" is null or "projects"."planned_completion" is null or "projects"."planned_completion" >= "projects"."planned_start"),
	CONSTRAINT "projects_total_investment_check" CHECK (("projects"."total_investment_amount" is null or "projects"."total_investment_amount" >= 0)
        and ("projects"."total_investment_amount" is null or "projects"."total_investment_currency" is not null)
        and ("projects"."total_investment_currency" is null or "projects"."total_investment_currency" ~ '^[A-Z]{3}$')
        and ("projects"."total_investment_rate_to_vnd" is null or "projects"."total_investment_rate_to_vnd" > 0)
        and ("projects"."total_investment_vnd" is null or "projects"."total_investment_vnd" >= 0))
);
--> statement-breakpoint
CREATE TABLE "section_assignments" (
	"section_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"role" "assignment_role" NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "section_assignments_pkey" PRIMARY KEY("section_id","agency_id","role")
);
--> statement-breakpoint
CREATE TABLE "source_references" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "source_references_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"fingerprint" text NOT NULL,
	"url" text,
	"document_id" integer,
	"title" text NOT NULL,
	"publisher" text,
	"quote" text,
	"published_on" date,
	"retrieved_on" date NOT NULL,
	"confidence" "confidence" NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_references_locator_check" CHECK ("source_references"."url" is not null or "source_references"."document_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "status_change_sources" (
	"status_change_id" integer NOT NULL,
	"source_id" integer NOT NULL,
	"supports" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "status_change_sources_pkey" PRIMARY KEY("status_change_id","source_id","supports")
);
--> statement-breakpoint
CREATE TABLE "succession_sources" (
	"succession_id" integer NOT NULL,
	"source_id" integer NOT NULL,
	"supports" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "succession_sources_pkey" PRIMARY KEY("succession_id","source_id","supports")
);
--> statement-breakpoint
CREATE TABLE "task_assignments" (
	"task_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"role" "assignment_role" NOT NULL,
	"section_id" integer,
	"position" integer NOT NULL,
	CONSTRAINT "task_assignments_pkey" PRIMARY KEY("task_id","agency_id","role")
);
--> statement-breakpoint
ALTER TABLE "agency_sources" ADD CONSTRAINT "agency_sources_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_sources" ADD CONSTRAINT "agency_sources_source_id_source_references_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."source_references"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_successions" ADD CONSTRAINT "agency_successions_predecessor_id_agencies_id_fk" FOREIGN KEY ("predecessor_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_successions" ADD CONSTRAINT "agency_successions_successor_id_agencies_id_fk" FOREIGN KEY ("successor_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_successions" ADD CONSTRAINT "agency_successions_document_id_legal_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."legal_documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_sources" ADD CONSTRAINT "allocation_sources_allocation_id_funding_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."funding_allocations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_sources" ADD CONSTRAINT "allocation_sources_source_id_source_references_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."source_references"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_allocations" ADD CONSTRAINT "funding_allocations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_allocations" ADD CONSTRAINT "funding_allocations_source_id_funding_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."funding_sources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_legal_bases" ADD CONSTRAINT "plan_legal_bases_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_legal_bases" ADD CONSTRAINT "plan_legal_bases_document_id_legal_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."legal_documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_sections" ADD CONSTRAINT "plan_sections_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_sections" ADD CONSTRAINT "plan_sections_parent_id_plan_sections_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."plan_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_targets" ADD CONSTRAINT "plan_targets_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_tasks" ADD CONSTRAINT "plan_tasks_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_tasks" ADD CONSTRAINT "plan_tasks_section_id_plan_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."plan_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_issuer_id_agencies_id_fk" FOREIGN KEY ("issuer_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_locations" ADD CONSTRAINT "project_locations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_sources" ADD CONSTRAINT "project_sources_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_sources" ADD CONSTRAINT "project_sources_source_id_source_references_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."source_references"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_status_changes" ADD CONSTRAINT "project_status_changes_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_tasks" ADD CONSTRAINT "project_tasks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_tasks" ADD CONSTRAINT "project_tasks_task_id_plan_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."plan_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_agency_id_agencies_id_fk" FOREIGN KEY ("owner_agency_id") REFERENCES "public"."agencies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section_assignments" ADD CONSTRAINT "section_assignments_section_id_plan_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."plan_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section_assignments" ADD CONSTRAINT "section_assignments_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_references" ADD CONSTRAINT "source_references_document_id_legal_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."legal_documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_change_sources" ADD CONSTRAINT "status_change_sources_status_change_id_project_status_changes_id_fk" FOREIGN KEY ("status_change_id") REFERENCES "public"."project_status_changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_change_sources" ADD CONSTRAINT "status_change_sources_source_id_source_references_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."source_references"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "succession_sources" ADD CONSTRAINT "succession_sources_succession_id_agency_successions_id_fk" FOREIGN KEY ("succession_id") REFERENCES "public"."agency_successions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "succession_sources" ADD CONSTRAINT "succession_sources_source_id_source_references_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."source_references"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_assignments" ADD CONSTRAINT "task_assignments_task_id_plan_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."plan_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_assignments" ADD CONSTRAINT "task_assignments_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_assignments" ADD CONSTRAINT "task_assignments_section_id_plan_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."plan_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_code_key" ON "agencies" USING btree ("code");--> statement-breakpoint
CREATE INDEX "agencies_kind_idx" ON "agencies" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "agencies_jurisdiction_code_idx" ON "agencies" USING btree ("jurisdiction_code");--> statement-breakpoint
CREATE INDEX "agency_sources_source_idx" ON "agency_sources" USING btree ("source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agency_successions_pair_key" ON "agency_successions" USING btree ("predecessor_id","successor_id","effective_on");--> statement-breakpoint
CREATE INDEX "agency_successions_successor_idx" ON "agency_successions" USING btree ("successor_id");--> statement-breakpoint
CREATE INDEX "agency_successions_document_idx" ON "agency_successions" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "agency_successions_effective_on_idx" ON "agency_successions" USING btree ("effective_on");--> statement-breakpoint
CREATE INDEX "allocation_sources_source_idx" ON "allocation_sources" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "funding_allocations_project_idx" ON "funding_allocations" USING btree ("project_id","position");--> statement-breakpoint
CREATE INDEX "funding_allocations_source_idx" ON "funding_allocations" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "funding_allocations_financier_idx" ON "funding_allocations" USING btree ("financier");--> statement-breakpoint
CREATE INDEX "funding_allocations_status_idx" ON "funding_allocations" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_sources_code_key" ON "funding_sources" USING btree ("code");--> statement-breakpoint
CREATE INDEX "funding_sources_category_idx" ON "funding_sources" USING btree ("category");--> statement-breakpoint
CREATE UNIQUE INDEX "legal_documents_code_key" ON "legal_documents" USING btree ("code");--> statement-breakpoint
CREATE INDEX "legal_documents_kind_idx" ON "legal_documents" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "plan_legal_bases_document_idx" ON "plan_legal_bases" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_sections_plan_number_key" ON "plan_sections" USING btree ("plan_id","number");--> statement-breakpoint
CREATE INDEX "plan_sections_plan_position_idx" ON "plan_sections" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "plan_sections_parent_idx" ON "plan_sections" USING btree ("parent_id","position");--> statement-breakpoint
CREATE INDEX "plan_targets_plan_idx" ON "plan_targets" USING btree ("plan_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_tasks_plan_code_key" ON "plan_tasks" USING btree ("plan_id","code");--> statement-breakpoint
CREATE INDEX "plan_tasks_plan_order_idx" ON "plan_tasks" USING btree ("plan_id","sort_order","id");--> statement-breakpoint
CREATE INDEX "plan_tasks_section_idx" ON "plan_tasks" USING btree ("section_id","position");--> statement-breakpoint
CREATE INDEX "plan_tasks_code_idx" ON "plan_tasks" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "plans_code_key" ON "plans" USING btree ("code");--> statement-breakpoint
CREATE INDEX "plans_issuer_idx" ON "plans" USING btree ("issuer_id");--> statement-breakpoint
CREATE INDEX "plans_issued_on_idx" ON "plans" USING btree ("issued_on");--> statement-breakpoint
CREATE INDEX "project_locations_project_idx" ON "project_locations" USING btree ("project_id","position");--> statement-breakpoint
CREATE INDEX "project_locations_name_idx" ON "project_locations" USING btree ("name");--> statement-breakpoint
CREATE INDEX "project_sources_source_idx" ON "project_sources" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "project_status_changes_project_idx" ON "project_status_changes" USING btree ("project_id","effective_on","id");--> statement-breakpoint
CREATE INDEX "project_status_changes_status_idx" ON "project_status_changes" USING btree ("status");--> statement-breakpoint
CREATE INDEX "project_tasks_task_idx" ON "project_tasks" USING btree ("task_id","project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_code_key" ON "projects" USING btree ("code");--> statement-breakpoint
CREATE INDEX "projects_status_idx" ON "projects" USING btree ("status");--> statement-breakpoint
CREATE INDEX "projects_sector_idx" ON "projects" USING btree ("sector");--> statement-breakpoint
CREATE INDEX "projects_type_idx" ON "projects" USING btree ("type");--> statement-breakpoint
CREATE INDEX "projects_owner_agency_idx" ON "projects" USING btree ("owner_agency_id");--> statement-breakpoint
CREATE INDEX "projects_planned_completion_idx" ON "projects" USING btree ("planned_completion");--> statement-breakpoint
CREATE INDEX "projects_total_investment_vnd_idx" ON "projects" USING btree ("total_investment_vnd");--> statement-breakpoint
CREATE INDEX "projects_status_changed_on_idx" ON "projects" USING btree ("status_changed_on");--> statement-breakpoint
CREATE INDEX "projects_updated_at_idx" ON "projects" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "projects_name_idx" ON "projects" USING btree ("name");--> statement-breakpoint
CREATE INDEX "section_assignments_agency_idx" ON "section_assignments" USING btree ("agency_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_references_fingerprint_key" ON "source_references" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "source_references_document_idx" ON "source_references" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "status_change_sources_source_idx" ON "status_change_sources" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "succession_sources_source_idx" ON "succession_sources" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "task_assignments_agency_idx" ON "task_assignments" USING btree ("agency_id","task_id");--> statement-breakpoint
CREATE INDEX "task_assignments_section_idx" ON "task_assignments" USING btree ("section_id");--> statement-breakpoint
CREATE INDEX "task_assignments_role_idx" ON "task_assignments" USING btree ("role");