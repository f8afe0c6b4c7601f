// The signed-in user: who they are, what they may do (permissions from /auth/me) and the CSRF
// token that every mutation must carry.
import { defineStore } from 'pinia';
import { api, setCsrfProvider } from '../api.js';

export const useAuthStore = defineStore('auth', {
  state: () => ({
    user: null,
    permissions: [],
    csrfToken: '',
    loaded: false,
  }),
  getters: {
    isLoggedIn: (s) => !!s.user,
    permissionSet: (s) => new Set(s.permissions),
  },
  actions: {
    can(permission) {
      if (!permission) return true;
      return this.permissionSet.has(permission);
    },
    apply(me) {
      this.user = me.user || null;
      if (Array.isArray(me.permissions)) this.permissions = me.permissions;
      if (me.csrf_token) this.csrfToken = me.csrf_token;
      this.loaded = true;
    },
    async fetchMe() {
      const me = await api.get('/auth/me', undefined, { authRedirect: false });
      this.apply(me);
      return me;
    },
    async login(username, password) {
      const r = await api.post('/auth/login', { username, password }, { authRedirect: false });
      this.csrfToken = r.csrf_token || '';
      this.user = r.user || null;
      // permissions come from /auth/me
      await this.fetchMe();
    },
    async logout() {
      try {
        await api.post('/auth/logout', {}, { authRedirect: false });
      } finally {
        this.clear();
      }
    },
    async changePassword(oldPassword, newPassword) {
      await api.post('/auth/password', { old_password: oldPassword, new_password: newPassword });
      try { await this.fetchMe(); } catch { /* keep what we have */ }
    },
    clear() {
      this.user = null;
      this.permissions = [];
      this.csrfToken = '';
      this.loaded = false;
    },
  },
});

// Wire the API wrapper to this store (called once after pinia is installed).
export function connectAuthStore(pinia) {
  const store = useAuthStore(pinia);
  setCsrfProvider(() => store.csrfToken);
  return store;
}
