// The numbered schema migrations. Each is a list of statements in a portable SQL dialect
// with a few placeholders filled per database:
//   {{pk}}     auto-increment primary key      {{i64}}  64-bit integer
// Statements marked for one dialect only run there (triggers differ).
// Never edit a migration that has shipped: add a new one.
#include <soci/soci.h>

#include <string>
#include <vector>

#include "db/database.h"

namespace tiaodu::db {
namespace {

struct Statement {
  enum Only { kBoth, kSqliteOnly, kPgOnly } only = kBoth;
  const char* sql;
};

struct Migration {
  int version;
  const char* name;
  std::vector<Statement> statements;
};

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "foundation: units, users, sessions, audit log",
       {
           {Statement::kBoth, R"(CREATE TABLE units (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id {{i64}} REFERENCES units(id),
  path TEXT NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX units_parent ON units(parent_id)"},
           {Statement::kBoth, "CREATE INDEX units_path ON units(path)"},
           {Statement::kBoth, R"(CREATE TABLE users (
  id {{pk}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  password_changed_at {{i64}} NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until {{i64}} NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  last_login_at {{i64}} NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX users_unit ON users(unit_id)"},
           {Statement::kBoth, R"(CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id {{i64}} NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at {{i64}} NOT NULL,
  last_seen_at {{i64}} NOT NULL,
  ip TEXT NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX sessions_user ON sessions(user_id)"},
           {Statement::kBoth, R"(CREATE TABLE audit_log (
  id {{pk}},
  seq {{i64}} NOT NULL UNIQUE,
  at {{i64}} NOT NULL,
  user_id {{i64}},
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  unit_id {{i64}},
  ip TEXT NOT NULL,
  event TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX audit_at ON audit_log(at)"},
           {Statement::kBoth, "CREATE INDEX audit_user ON audit_log(username)"},
           // The application may only append to the audit log.
           {Statement::kSqliteOnly, R"(CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END)"},
           {Statement::kPgOnly, R"(CREATE FUNCTION audit_log_refuse() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql)"},
           {Statement::kPgOnly, R"(CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE
ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse())"},
           {Statement::kPgOnly, R"(CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE
ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse())"},
       }},
      {2,
       "indicators: catalog, values, revisions, targets, rules, settings, figures",
       {
           {Statement::kBoth, R"(CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, R"(CREATE TABLE indicators (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL,
  periodicity TEXT NOT NULL,
  accumulation TEXT NOT NULL,
  growth_basis TEXT NOT NULL,
  direction TEXT NOT NULL,
  formula TEXT NOT NULL DEFAULT '',
  rank_by TEXT NOT NULL DEFAULT 'value',
  additive INTEGER NOT NULL DEFAULT 1,
  decimals INTEGER NOT NULL DEFAULT 2,
  sort_order INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           // Values are Decimal raw integers (millionths), exact on both databases.
           {Statement::kBoth, R"(CREATE TABLE indicator_values (
  id {{pk}},
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  indicator_id {{i64}} NOT NULL REFERENCES indicators(id),
  period TEXT NOT NULL,
  value {{i64}} NOT NULL,
  reported_yoy {{i64}},
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  revision INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by {{i64}} NOT NULL DEFAULT 0,
  updated_at {{i64}} NOT NULL,
  submitted_at {{i64}} NOT NULL DEFAULT 0,
  approved_by {{i64}} NOT NULL DEFAULT 0,
  approved_at {{i64}} NOT NULL DEFAULT 0,
  published_at {{i64}} NOT NULL DEFAULT 0,
  UNIQUE (unit_id, indicator_id, period)))"},
           {Statement::kBoth, "CREATE INDEX indicator_values_period ON indicator_values(period, status)"},
           {Statement::kBoth, R"(CREATE TABLE indicator_revisions (
  id {{pk}},
  value_id {{i64}} NOT NULL REFERENCES indicator_values(id),
  old_value {{i64}} NOT NULL,
  new_value {{i64}} NOT NULL,
  old_yoy {{i64}},
  new_yoy {{i64}},
  reason TEXT NOT NULL,
  user_id {{i64}} NOT NULL,
  username TEXT NOT NULL,
  at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX indicator_revisions_value ON indicator_revisions(value_id)"},
           {Statement::kBoth, R"(CREATE TABLE indicator_targets (
  id {{pk}},
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  indicator_id {{i64}} NOT NULL REFERENCES indicators(id),
  year INTEGER NOT NULL,
  value {{i64}},
  growth_floor {{i64}},
  growth_stretch {{i64}},
  version INTEGER NOT NULL DEFAULT 1,
  updated_by {{i64}} NOT NULL DEFAULT 0,
  updated_at {{i64}} NOT NULL,
  UNIQUE (unit_id, indicator_id, year)))"},
           {Statement::kBoth, R"(CREATE TABLE indicator_rules (
  id {{pk}},
  expression TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           // The board's read model: derived when values are approved, published or revised.
           {Statement::kBoth, R"(CREATE TABLE indicator_figures (
  unit_id {{i64}} NOT NULL,
  indicator_id {{i64}} NOT NULL,
  period TEXT NOT NULL,
  parent_id {{i64}} NOT NULL,
  value {{i64}} NOT NULL,
  monthly {{i64}},
  yoy {{i64}},
  yoy_source TEXT NOT NULL DEFAULT '',
  rank_value INTEGER,
  rank_growth INTEGER,
  target_value {{i64}},
  growth_floor {{i64}},
  growth_stretch {{i64}},
  progress {{i64}},
  elapsed {{i64}},
  progress_status TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  PRIMARY KEY (unit_id, indicator_id, period)))"},
           {Statement::kBoth, "CREATE INDEX indicator_figures_board ON indicator_figures(parent_id, period)"},
       }},
      {3,
       "key projects: registry, plans, yearly figures, milestones, progress, problems, batches",
       {
           {Statement::kBoth, R"(CREATE TABLE projects (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  category TEXT NOT NULL,
  industry TEXT NOT NULL DEFAULT '',
  chain TEXT NOT NULL DEFAULT '',
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  leader_id {{i64}} REFERENCES users(id),
  task_force_id {{i64}} REFERENCES units(id),
  location TEXT NOT NULL DEFAULT '',
  total_investment {{i64}} NOT NULL,
  start_year INTEGER NOT NULL,
  end_year INTEGER NOT NULL,
  committed_completion TEXT,
  stage TEXT NOT NULL,
  stage_dates TEXT NOT NULL DEFAULT '',
  archived INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX projects_unit ON projects(unit_id)"},
           {Statement::kBoth, R"(CREATE TABLE project_plans (
  project_id {{i64}} NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  amount {{i64}} NOT NULL,
  PRIMARY KEY (project_id, year)))"},
           // The list's read model: one row per project and year, refreshed on every change
           // and daily (status depends on the date).
           {Statement::kBoth, R"(CREATE TABLE project_years (
  project_id {{i64}} NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  plan {{i64}},
  ytd {{i64}} NOT NULL DEFAULT 0,
  cumulative {{i64}} NOT NULL DEFAULT 0,
  completion {{i64}},
  status TEXT NOT NULL,
  status_reason TEXT NOT NULL DEFAULT '',
  open_problems INTEGER NOT NULL DEFAULT 0,
  overdue_milestones INTEGER NOT NULL DEFAULT 0,
  as_of TEXT NOT NULL,
  unit_id {{i64}} NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, year)))"},
           // The list filtered by status within a subtree: year, status, then the project's unit.
           {Statement::kBoth, "CREATE INDEX project_years_status ON project_years(year, status, unit_id)"},
           {Statement::kBoth, R"(CREATE TABLE project_milestones (
  id {{pk}},
  project_id {{i64}} NOT NULL REFERENCES projects(id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  planned TEXT,
  actual TEXT,
  version INTEGER NOT NULL DEFAULT 1))"},
           {Statement::kBoth, "CREATE INDEX project_milestones_project ON project_milestones(project_id)"},
           {Statement::kBoth, R"(CREATE TABLE project_progress (
  id {{pk}},
  project_id {{i64}} NOT NULL REFERENCES projects(id),
  month TEXT NOT NULL,
  amount {{i64}} NOT NULL,
  narrative TEXT NOT NULL DEFAULT '',
  reported_by {{i64}} NOT NULL,
  reported_at {{i64}} NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (project_id, month)))"},
           {Statement::kBoth, R"(CREATE TABLE project_problems (
  id {{pk}},
  project_id {{i64}} NOT NULL REFERENCES projects(id),
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  owner_unit_id {{i64}} NOT NULL REFERENCES units(id),
  escalated_to {{i64}} REFERENCES units(id),
  deadline TEXT NOT NULL,
  state TEXT NOT NULL,
  resolution TEXT NOT NULL DEFAULT '',
  raised_by {{i64}} NOT NULL,
  raised_at {{i64}} NOT NULL,
  resolved_at {{i64}} NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1))"},
           {Statement::kBoth, "CREATE INDEX project_problems_project ON project_problems(project_id)"},
           {Statement::kBoth, "CREATE INDEX project_problems_state ON project_problems(state, deadline)"},
           {Statement::kBoth, R"(CREATE TABLE project_batches (
  id {{pk}},
  number INTEGER NOT NULL UNIQUE,
  name TEXT NOT NULL,
  deadline TEXT NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0,
  sign_rate {{i64}},
  start_rate {{i64}},
  produce_rate {{i64}},
  effective_rate {{i64}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL))"},
           {Statement::kBoth, R"(CREATE TABLE project_batch_entries (
  batch_id {{i64}} NOT NULL REFERENCES project_batches(id),
  project_id {{i64}} NOT NULL REFERENCES projects(id),
  list TEXT NOT NULL,
  PRIMARY KEY (batch_id, project_id, list)))"},
       }},
      {4,
       "investment: companies, leads, contracts, activities, chains, targets",
       {
           {Statement::kBoth, R"(CREATE TABLE companies (
  id {{pk}},
  name TEXT NOT NULL,
  normalized_name TEXT NOT NULL,
  uscc TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  merged_into {{i64}} REFERENCES companies(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX companies_uscc ON companies(uscc)"},
           {Statement::kBoth, "CREATE INDEX companies_normalized ON companies(normalized_name)"},
           {Statement::kBoth, R"(CREATE TABLE chains (
  id {{pk}},
  name TEXT NOT NULL UNIQUE,
  chain_leader TEXT NOT NULL DEFAULT '',
  lead_firm_id {{i64}} REFERENCES companies(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, R"(CREATE TABLE chain_segments (
  id {{pk}},
  chain_id {{i64}} NOT NULL REFERENCES chains(id),
  position TEXT NOT NULL,
  name TEXT NOT NULL,
  seq INTEGER NOT NULL))"},
           {Statement::kBoth, R"(CREATE TABLE segment_firms (
  segment_id {{i64}} NOT NULL REFERENCES chain_segments(id),
  company_id {{i64}} NOT NULL REFERENCES companies(id),
  role TEXT NOT NULL,
  PRIMARY KEY (segment_id, company_id, role)))"},
           {Statement::kBoth, R"(CREATE TABLE leads (
  id {{pk}},
  company_id {{i64}} NOT NULL REFERENCES companies(id),
  project_name TEXT NOT NULL,
  amount {{i64}} NOT NULL,
  chain_id {{i64}} REFERENCES chains(id),
  segment_id {{i64}} REFERENCES chain_segments(id),
  source TEXT NOT NULL,
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  officer_id {{i64}} REFERENCES users(id),
  stage TEXT NOT NULL,
  stage_dates TEXT NOT NULL DEFAULT '',
  lost INTEGER NOT NULL DEFAULT 0,
  lost_reason TEXT NOT NULL DEFAULT '',
  lost_date TEXT,
  project_id {{i64}} REFERENCES projects(id),
  contract_amount {{i64}} NOT NULL DEFAULT 0,
  signed_date TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX leads_unit_stage ON leads(unit_id, lost, stage, amount)"},
           {Statement::kBoth, "CREATE INDEX leads_company ON leads(company_id)"},
           {Statement::kBoth, "CREATE INDEX leads_signed ON leads(signed_date)"},
           {Statement::kBoth, R"(CREATE TABLE contracts (
  id {{pk}},
  lead_id {{i64}} NOT NULL REFERENCES leads(id),
  date TEXT NOT NULL,
  amount {{i64}} NOT NULL,
  kind TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX contracts_lead ON contracts(lead_id)"},
           {Statement::kBoth, "CREATE INDEX contracts_date ON contracts(date)"},
           {Statement::kBoth, R"(CREATE TABLE activities (
  id {{pk}},
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  title TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  leader_level INTEGER NOT NULL DEFAULT 0,
  leader TEXT NOT NULL DEFAULT '',
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  notes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX activities_unit_date ON activities(unit_id, date)"},
           {Statement::kBoth, R"(CREATE TABLE activity_leads (
  activity_id {{i64}} NOT NULL REFERENCES activities(id),
  lead_id {{i64}} NOT NULL REFERENCES leads(id),
  PRIMARY KEY (activity_id, lead_id)))"},
           {Statement::kBoth, "CREATE INDEX activity_leads_lead ON activity_leads(lead_id)"},
           {Statement::kBoth, R"(CREATE TABLE investment_targets (
  id {{pk}},
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  year INTEGER NOT NULL,
  projects_100m INTEGER NOT NULL,
  contract_amount {{i64}} NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at {{i64}} NOT NULL,
  UNIQUE (unit_id, year)))"},
           // A key project remembers the lead it came from (the link in both directions).
           {Statement::kBoth, "ALTER TABLE projects ADD COLUMN lead_id {{i64}}"},
       }},
      {5,
       "supervision: tasks on the 13710 clock, events, evidence, meetings, notifications",
       {
           {Statement::kBoth, R"(CREATE TABLE meetings (
  id {{pk}},
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  held_on TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  chair TEXT NOT NULL DEFAULT '',
  attendees TEXT NOT NULL DEFAULT '',
  minutes TEXT NOT NULL DEFAULT '',
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  status TEXT NOT NULL DEFAULT 'draft',
  created_by {{i64}} REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX meetings_held ON meetings(held_on)"},
           {Statement::kBoth, R"(CREATE TABLE tasks (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  source_ref TEXT NOT NULL DEFAULT '',
  meeting_id {{i64}} REFERENCES meetings(id),
  decision_id {{i64}},
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  owner_unit_id {{i64}} NOT NULL REFERENCES units(id),
  assigned_by {{i64}} REFERENCES users(id),
  assigned_at {{i64}} NOT NULL,
  profile TEXT NOT NULL,
  completion_class INTEGER NOT NULL DEFAULT 0,
  deadline TEXT,
  deadline_reason TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  plan TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  received_at {{i64}},
  planned_at {{i64}},
  reported_at {{i64}},
  closed_at {{i64}},
  cancel_reason TEXT NOT NULL DEFAULT '',
  light TEXT NOT NULL DEFAULT 'green',
  light_reason TEXT NOT NULL DEFAULT '',
  escalation INTEGER NOT NULL DEFAULT 0,
  escalated_to {{i64}} REFERENCES units(id),
  completion_due TEXT,
  next_step TEXT NOT NULL DEFAULT '',
  next_due TEXT,
  overdue_steps TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX tasks_owner ON tasks(owner_unit_id, state)"},
           {Statement::kBoth, "CREATE INDEX tasks_unit ON tasks(unit_id)"},
           {Statement::kBoth, "CREATE INDEX tasks_state_light ON tasks(state, light)"},
           {Statement::kBoth, "CREATE INDEX tasks_due ON tasks(completion_due)"},
           {Statement::kBoth, "CREATE INDEX tasks_meeting ON tasks(meeting_id)"},
           {Statement::kBoth, R"(CREATE TABLE task_co_units (
  task_id {{i64}} NOT NULL REFERENCES tasks(id),
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  PRIMARY KEY (task_id, unit_id)))"},
           {Statement::kBoth, "CREATE INDEX task_co_units_unit ON task_co_units(unit_id)"},
           {Statement::kBoth, R"(CREATE TABLE meeting_decisions (
  id {{pk}},
  meeting_id {{i64}} NOT NULL REFERENCES meetings(id),
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  owner_unit_id {{i64}} REFERENCES units(id),
  deadline TEXT,
  task_id {{i64}} REFERENCES tasks(id)))"},
           {Statement::kBoth, "CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id, seq)"},
           {Statement::kBoth, R"(CREATE TABLE task_events (
  id {{pk}},
  task_id {{i64}} NOT NULL REFERENCES tasks(id),
  kind TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  user_id {{i64}} REFERENCES users(id),
  unit_id {{i64}} REFERENCES units(id),
  at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX task_events_task ON task_events(task_id, at)"},
           {Statement::kBoth, R"(CREATE TABLE task_files (
  id {{pk}},
  task_id {{i64}} NOT NULL REFERENCES tasks(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size {{i64}} NOT NULL,
  sha256 TEXT NOT NULL,
  data TEXT NOT NULL,
  user_id {{i64}} REFERENCES users(id),
  unit_id {{i64}} REFERENCES units(id),
  at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX task_files_task ON task_files(task_id)"},
           // The key of every reminder, overdue notice and escalation sent: the scheduler
           // inserts it in the same transaction as the notifications, so none is sent twice.
           {Statement::kBoth, R"(CREATE TABLE task_reminders (
  task_id {{i64}} NOT NULL REFERENCES tasks(id),
  rkey TEXT NOT NULL,
  at {{i64}} NOT NULL,
  PRIMARY KEY (task_id, rkey)))"},
           {Statement::kBoth, R"(CREATE TABLE notifications (
  id {{pk}},
  user_id {{i64}} NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  object_kind TEXT NOT NULL DEFAULT '',
  object_id {{i64}} NOT NULL DEFAULT 0,
  at {{i64}} NOT NULL,
  read_at {{i64}}))"},
           {Statement::kBoth, "CREATE INDEX notifications_user ON notifications(user_id, read_at, id)"},
           {Statement::kBoth, R"(CREATE TABLE scheduler_state (
  name TEXT PRIMARY KEY,
  last_run_at {{i64}} NOT NULL,
  last_host TEXT NOT NULL DEFAULT '',
  runs {{i64}} NOT NULL DEFAULT 0))"},
       }},
      {6,
       "supervision: tasks by owner unit for the board and the on-time rate",
       {
           {Statement::kBoth, "CREATE INDEX tasks_owner_light ON tasks(owner_unit_id, state, light)"},
           {Statement::kBoth, "CREATE INDEX tasks_owner_due ON tasks(owner_unit_id, completion_due)"},
       }},
      {7,
       "assessment: scoring schemes and their versions, published league tables",
       {
           {Statement::kBoth, R"(CREATE TABLE assessment_schemes (
  id {{pk}},
  name TEXT NOT NULL,
  parent_id {{i64}} NOT NULL REFERENCES units(id),
  archived INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           // A version is never changed: a past month is scored with the version it had.
           {Statement::kBoth, R"(CREATE TABLE assessment_scheme_versions (
  scheme_id {{i64}} NOT NULL REFERENCES assessment_schemes(id),
  number INTEGER NOT NULL,
  effective_from TEXT NOT NULL,
  red_flags INTEGER NOT NULL,
  black_flags INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at {{i64}} NOT NULL,
  PRIMARY KEY (scheme_id, number)))"},
           {Statement::kBoth, R"(CREATE TABLE assessment_items (
  scheme_id {{i64}} NOT NULL,
  number INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  indicator TEXT NOT NULL DEFAULT '',
  rate TEXT NOT NULL DEFAULT '',
  weight {{i64}} NOT NULL,
  points TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (scheme_id, number, seq)))"},
           // A published month is frozen: its table is read from here, never recomputed.
           {Statement::kBoth, R"(CREATE TABLE assessment_published (
  scheme_id {{i64}} NOT NULL REFERENCES assessment_schemes(id),
  period TEXT NOT NULL,
  scheme_version INTEGER NOT NULL,
  published_at {{i64}} NOT NULL,
  published_by TEXT NOT NULL,
  PRIMARY KEY (scheme_id, period)))"},
           {Statement::kBoth, R"(CREATE TABLE assessment_results (
  scheme_id {{i64}} NOT NULL,
  period TEXT NOT NULL,
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  total {{i64}} NOT NULL,
  rank INTEGER NOT NULL,
  flag TEXT NOT NULL,
  PRIMARY KEY (scheme_id, period, unit_id)))"},
           {Statement::kBoth, "CREATE INDEX assessment_results_unit ON assessment_results(scheme_id, unit_id, period)"},
           {Statement::kBoth, R"(CREATE TABLE assessment_result_items (
  scheme_id {{i64}} NOT NULL,
  period TEXT NOT NULL,
  unit_id {{i64}} NOT NULL,
  seq INTEGER NOT NULL,
  measure {{i64}},
  rank INTEGER NOT NULL,
  points {{i64}} NOT NULL,
  basis TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (scheme_id, period, unit_id, seq)))"},
       }},
      {8,
       "benefits: the enterprise register's attributes and yearly figures, policies, matching runs",
       {
           // The register is the companies table, extended: one row per registered enterprise.
           {Statement::kBoth, R"(CREATE TABLE enterprise_attributes (
  company_id {{i64}} PRIMARY KEY REFERENCES companies(id),
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  industry TEXT NOT NULL DEFAULT '',
  scale TEXT NOT NULL DEFAULT '',
  certifications TEXT NOT NULL DEFAULT '',
  founded TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX enterprise_attributes_unit ON enterprise_attributes(unit_id)"},
           // Money in 元 as raw decimals; NULL = not reported (never read as zero).
           {Statement::kBoth, R"(CREATE TABLE enterprise_figures (
  company_id {{i64}} NOT NULL REFERENCES companies(id),
  year INTEGER NOT NULL,
  revenue {{i64}},
  tax_paid {{i64}},
  rd_spending {{i64}},
  employees {{i64}},
  PRIMARY KEY (company_id, year)))"},
           {Statement::kBoth, R"(CREATE TABLE benefit_policies (
  id {{pk}},
  title TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  doc_number TEXT NOT NULL DEFAULT '',
  valid_from TEXT,
  valid_to TEXT,
  budget {{i64}},
  budget_mode TEXT NOT NULL DEFAULT 'order',
  base_year INTEGER NOT NULL,
  eligibility TEXT NOT NULL DEFAULT '',
  amount TEXT NOT NULL,
  unit_id {{i64}} NOT NULL REFERENCES units(id),
  archived INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{i64}} NOT NULL,
  updated_at {{i64}} NOT NULL))"},
           {Statement::kBoth, "CREATE INDEX benefit_policies_unit ON benefit_policies(unit_id)"},
           // A run keeps the rules it was computed with, so that it stays reproducible after the
           // policy is edited; its results are stored when computed and never recomputed.
           {Statement::kBoth, R"(CREATE TABLE benefit_runs (
  id {{pk}},
  policy_id {{i64}} NOT NULL REFERENCES benefit_policies(id),
  policy_version INTEGER NOT NULL,
  year INTEGER NOT NULL,
  state TEXT NOT NULL,
  eligibility TEXT NOT NULL,
  amount TEXT NOT NULL,
  budget {{i64}},
  budget_mode TEXT NOT NULL,
  enterprises INTEGER NOT NULL,
  matched INTEGER NOT NULL,
  near_miss INTEGER NOT NULL,
  data_missing INTEGER NOT NULL,
  data_error INTEGER NOT NULL,
  requested {{i64}} NOT NULL,
  granted {{i64}} NOT NULL,
  run_by TEXT NOT NULL,
  run_at {{i64}} NOT NULL,
  reviewed_by TEXT NOT NULL DEFAULT '',
  reviewed_at {{i64}},
  approved_by TEXT NOT NULL DEFAULT '',
  approved_at {{i64}},
  published_by TEXT NOT NULL DEFAULT '',
  published_at {{i64}},
  version INTEGER NOT NULL DEFAULT 1))"},
           {Statement::kBoth, "CREATE INDEX benefit_runs_policy ON benefit_runs(policy_id, year)"},
           // Only matched, near-miss, data-missing and data-error rows are stored.
           {Statement::kBoth, R"(CREATE TABLE benefit_results (
  run_id {{i64}} NOT NULL REFERENCES benefit_runs(id),
  company_id {{i64}} NOT NULL REFERENCES companies(id),
  outcome TEXT NOT NULL,
  met TEXT NOT NULL DEFAULT '',
  failed TEXT NOT NULL DEFAULT '',
  missing TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  inputs TEXT NOT NULL DEFAULT '',
  requested {{i64}},
  granted {{i64}},
  PRIMARY KEY (run_id, company_id)))"},
           {Statement::kBoth, "CREATE INDEX benefit_results_company ON benefit_results(company_id)"},
       }},
      {9,
       "benefits: a change counter of the enterprise register (the editor's live count keeps the "
       "register in memory and rereads it only when the counter moved)",
       {
           // Bumped by triggers on every write to the register and to units (codes and paths
           // decide the scope and the `unit` attribute), whatever code path writes.
           {Statement::kBoth, R"(CREATE TABLE benefit_register_changes (
  id INTEGER PRIMARY KEY,
  counter {{i64}} NOT NULL))"},
           {Statement::kBoth, "INSERT INTO benefit_register_changes (id, counter) VALUES (1, 0)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER enterprise_attributes_insert_changes AFTER INSERT ON enterprise_attributes
BEGIN UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1; END)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER enterprise_attributes_update_changes AFTER UPDATE ON enterprise_attributes
BEGIN UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1; END)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER enterprise_attributes_delete_changes AFTER DELETE ON enterprise_attributes
BEGIN UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1; END)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER enterprise_figures_insert_changes AFTER INSERT ON enterprise_figures
BEGIN UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1; END)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER enterprise_figures_update_changes AFTER UPDATE ON enterprise_figures
BEGIN UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1; END)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER enterprise_figures_delete_changes AFTER DELETE ON enterprise_figures
BEGIN UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1; END)"},
           {Statement::kSqliteOnly, R"(CREATE TRIGGER units_update_register_changes AFTER UPDATE ON units
BEGIN UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1; END)"},
           // Once per transaction (a transaction-local setting remembers it): updating the one
           // row for every statement of a load would pile up row versions in the transaction.
           {Statement::kPgOnly, R"(CREATE FUNCTION benefit_register_changed() RETURNS trigger AS $$
BEGIN
  IF current_setting('tiaodu.register_changed', true) IS DISTINCT FROM 'yes' THEN
    UPDATE benefit_register_changes SET counter = counter + 1 WHERE id = 1;
    PERFORM set_config('tiaodu.register_changed', 'yes', true);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql)"},
           {Statement::kPgOnly, R"(CREATE TRIGGER enterprise_attributes_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON enterprise_attributes FOR EACH STATEMENT EXECUTE FUNCTION benefit_register_changed())"},
           {Statement::kPgOnly, R"(CREATE TRIGGER enterprise_figures_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON enterprise_figures FOR EACH STATEMENT EXECUTE FUNCTION benefit_register_changed())"},
           {Statement::kPgOnly, R"(CREATE TRIGGER units_register_changes AFTER UPDATE
ON units FOR EACH STATEMENT EXECUTE FUNCTION benefit_register_changed())"},
       }},
      {10,
       "benefits: a run's results stored as one compact block, over a snapshot of the register "
       "as the batch read it (decision 0021)",
       {
           // The register's values the rules read, per enterprise, as a batch read them: one
           // snapshot per scope and batch, shared by the runs of that scope (base64 of the
           // encoding in src/benefits/blocks.h).
           {Statement::kBoth, R"(CREATE TABLE benefit_snapshots (
  id {{pk}},
  created_at {{i64}} NOT NULL,
  enterprises INTEGER NOT NULL,
  data TEXT NOT NULL))"},
           // A run stored since this migration has its results here (base64 of the block) and
           // rows in benefit_results only once published; older runs keep their rows (NULL).
           {Statement::kBoth,
            "ALTER TABLE benefit_runs ADD COLUMN snapshot_id {{i64}} REFERENCES benefit_snapshots(id)"},
           {Statement::kBoth, "ALTER TABLE benefit_runs ADD COLUMN results TEXT"},
       }},
  };
  return kMigrations;
}

std::string Fill(std::string sql, Dialect d) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t p = sql.find(from); p != std::string::npos; p = sql.find(from, p + to.size()))
      sql.replace(p, from.size(), to);
  };
  replace("{{pk}}", d == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                          : "BIGSERIAL PRIMARY KEY");
  replace("{{i64}}", "BIGINT");  // SOCI reads SQLite INTEGER as 32-bit
  return sql;
}

}  // namespace

int LatestMigration() { return Migrations().back().version; }

Status Migrate(Database& db, int64_t now_millis) {
  return db.Write([&](Tx& tx) -> Status {
    soci::session& sql = tx.sql();
    if (tx.postgres()) sql << "SELECT pg_advisory_xact_lock(73100001)";
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "name TEXT NOT NULL, applied_at " +
               std::string(tx.postgres() ? "BIGINT" : "INTEGER") + " NOT NULL)";
    int current = 0;
    soci::indicator ind;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(current, ind);
    if (ind != soci::i_ok) current = 0;
    if (current > LatestMigration()) {
      return FailedPrecondition("数据库版本（" + std::to_string(current) +
                                "）比程序新，请升级程序");
    }
    for (const Migration& m : Migrations()) {
      if (m.version <= current) continue;
      for (const Statement& st : m.statements) {
        if (st.only == Statement::kSqliteOnly && tx.postgres()) continue;
        if (st.only == Statement::kPgOnly && !tx.postgres()) continue;
        sql << Fill(st.sql, tx.dialect());
      }
      std::string name = m.name;
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(m.version), soci::use(name), soci::use(now_millis);
    }
    return Status::Ok();
  });
}

}  // namespace tiaodu::db
