#include "app/services.h"

#include "auth/crypto.h"

namespace tiaodu::app {

Result<std::unique_ptr<Services>> OpenServices(const std::string& url, const Clock& clock,
                                               int pool_size) {
  if (!auth::InitCrypto()) return Internal("密码库初始化失败 (libsodium)");
  db::Database::Options opt;
  opt.pool_size = pool_size;
  auto database = db::Database::Open(url, opt);
  if (!database.ok()) return database.status();
  TIAODU_RETURN_IF_ERROR(db::Migrate(**database, clock.NowMillis()));
  auto s = std::unique_ptr<Services>(new Services{clock, std::move(*database), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr});
  s->auth = std::make_unique<auth::AuthService>(*s->db, clock);
  s->org = std::make_unique<org::OrgService>(*s->db, clock);
  s->indicators = std::make_unique<indicators::IndicatorService>(*s->db, clock);
  s->projects = std::make_unique<projects::ProjectService>(*s->db, clock);
  s->investment = std::make_unique<investment::InvestmentService>(*s->db, clock, *s->projects);
  s->supervision = std::make_unique<supervision::SupervisionService>(*s->db, clock);
  s->assessment =
      std::make_unique<assessment::AssessmentService>(*s->db, clock, *s->projects, *s->supervision);
  s->factcheck = std::make_unique<factcheck::FactcheckService>(*s->db);
  s->benefits = std::make_unique<benefits::BenefitService>(*s->db, clock);
  return s;
}

auth::Actor SystemActor() {
  auth::Actor a;
  a.username = "system";
  a.role = "system";
  a.ip = "local";
  a.system = true;
  return a;
}

}  // namespace tiaodu::app
