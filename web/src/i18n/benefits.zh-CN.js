// 免申即享模块的中文文案，挂在 ben 键下（菜单项在 nav.benefits，首页快捷入口在 quick.benefits）。
export default {
  title: '免申即享',
  yuan: '元',
  quick: '企业库、政策规则与兑现批次',
  nav: { enterprises: '企业库', enterprise: '企业详情', policies: '政策', policy: '政策规则', policyNew: '新建政策', run: '匹配批次' },

  // ---- 企业库与企业详情（EnterprisesView、EnterpriseView） ----
  ent: {
  },

  // ---- 政策、规则编辑器与匹配批次（PoliciesView、PolicyEditView、RunView） ----
  pol: {
  },
};
