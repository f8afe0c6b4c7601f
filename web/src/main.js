import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import element from './plugins/element.js';
import i18n from './i18n/index.js';
import { connectAuthStore } from './stores/auth.js';
import { createAppRouter } from './router.js';
import './styles/main.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
connectAuthStore(pinia);
app.use(i18n);
app.use(element);
app.use(createAppRouter(pinia));
app.mount('#app');
