// The 免申即享 (auto-granted benefits) module's English strings, under `ben`.
export default {
  title: 'Benefits',
  yuan: 'yuan',
  quick: 'Enterprise register, policy rules and award runs',
  nav: { enterprises: 'Register', enterprise: 'Enterprise', policies: 'Policies', policy: 'Policy rules', policyNew: 'New policy', run: 'Run' },

  // ---- The register and the enterprise page (EnterprisesView, EnterpriseView) ----
  ent: {
  },

  // ---- Policies, the rule editor and runs (PoliciesView, PolicyEditView, RunView) ----
  pol: {
  },
};
