// A tiny message catalogue: t('users.title'), t('common.total', { n: 3 }). The locale is a
// reactive ref, so templates re-render when the header switch changes it. Chinese is the
// default and the fallback for any key the English map lacks.
import { ref, computed } from 'vue';
import zhCN from './zh-CN.js';
import en from './en.js';
import supZhCN from './supervision.zh-CN.js';
import supEn from './supervision.en.js';
import cockpitZhCN from './cockpit.zh-CN.js';
import cockpitEn from './cockpit.en.js';
import fcZhCN from './factcheck.zh-CN.js';
import fcEn from './factcheck.en.js';
import benZhCN from './benefits.zh-CN.js';
import benEn from './benefits.en.js';

// The supervision module's strings live under `sup`; its menu entry's quick-link line under
// quick.supervision.
const withSupervision = (base, sup) => ({ ...base, sup, quick: { ...base.quick, supervision: sup.quick } });
// The cockpit's strings live under `cockpit`, its menu entry under nav.cockpit.
const withCockpit = (base, ck) => ({ ...base, cockpit: ck, nav: { ...base.nav, cockpit: ck.title } });
// The fact-check page's strings live under `fc`, its menu entry under nav.factcheck.
const withFactcheck = (base, fc) => ({ ...base, fc, nav: { ...base.nav, factcheck: fc.title }, quick: { ...base.quick, factcheck: fc.quick } });
// The benefits (免申即享) module's strings live under `ben`, its menu entry under nav.benefits.
const withBenefits = (base, ben) => ({ ...base, ben, nav: { ...base.nav, benefits: ben.title }, quick: { ...base.quick, benefits: ben.quick } });
const messages = {
  'zh-CN': withBenefits(withFactcheck(withCockpit(withSupervision(zhCN, supZhCN), cockpitZhCN), fcZhCN), benZhCN),
  en: withBenefits(withFactcheck(withCockpit(withSupervision(en, supEn), cockpitEn), fcEn), benEn),
};
const STORAGE_KEY = 'tiaodu.locale';

function initialLocale() {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved && messages[saved]) return saved;
  } catch { /* storage may be unavailable */ }
  return 'zh-CN';
}

export const locale = ref(initialLocale());
export const locales = [
  { code: 'zh-CN', label: '简体中文', short: '中' },
  { code: 'en', label: 'English', short: 'EN' },
];

export function setLocale(code) {
  if (!messages[code]) return;
  locale.value = code;
  try { window.localStorage.setItem(STORAGE_KEY, code); } catch { /* ignore */ }
  document.documentElement.lang = code;
}

function lookup(map, key) {
  let cur = map;
  for (const part of key.split('.')) {
    if (cur == null || typeof cur !== 'object') return undefined;
    // keys such as 'unit.read' inside perms/events contain dots: try the rest as one key.
    if (!(part in cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function resolve(map, key) {
  const direct = lookup(map, key);
  if (direct !== undefined) return direct;
  // perms.unit.read → perms['unit.read']
  const i = key.indexOf('.');
  if (i > 0) {
    const head = map[key.slice(0, i)];
    if (head && typeof head === 'object' && key.slice(i + 1) in head) return head[key.slice(i + 1)];
  }
  return undefined;
}

export function t(key, params) {
  let msg = resolve(messages[locale.value], key);
  if (msg === undefined) msg = resolve(messages['zh-CN'], key);
  if (msg === undefined) return key;
  if (typeof msg === 'string' && params) {
    msg = msg.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return msg;
}

// has(key): whether a message exists (used to show raw event codes when unknown).
export function has(key) {
  return resolve(messages[locale.value], key) !== undefined || resolve(messages['zh-CN'], key) !== undefined;
}

export const isZh = computed(() => locale.value === 'zh-CN');

export default {
  install(app) {
    app.config.globalProperties.$t = t;
    document.documentElement.lang = locale.value;
  },
};

// A role's display name: the server's Chinese name in Chinese, the local map otherwise.
export function roleName(code, serverName) {
  if (locale.value === 'zh-CN' && serverName) return serverName;
  return has(`roles.${code}`) ? t(`roles.${code}`) : (serverName || code || '');
}
