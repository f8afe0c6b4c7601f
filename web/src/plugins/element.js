// Element Plus, registered on demand: each component is imported from its own module (the
// package index keeps every component alive), with its styles, so web/dist stays small.
// Views import ElMessage / ElMessageBox from here for the same reason.
import { ElAlert } from 'element-plus/es/components/alert/index.mjs';
import { ElContainer, ElHeader, ElAside, ElMain } from 'element-plus/es/components/container/index.mjs';
import { ElBreadcrumb, ElBreadcrumbItem } from 'element-plus/es/components/breadcrumb/index.mjs';
import { ElButton } from 'element-plus/es/components/button/index.mjs';
import { ElCard } from 'element-plus/es/components/card/index.mjs';
import { ElConfigProvider } from 'element-plus/es/components/config-provider/index.mjs';
import { ElDatePicker } from 'element-plus/es/components/date-picker/index.mjs';
import { ElDescriptions, ElDescriptionsItem } from 'element-plus/es/components/descriptions/index.mjs';
import { ElDialog } from 'element-plus/es/components/dialog/index.mjs';
import { ElDivider } from 'element-plus/es/components/divider/index.mjs';
import { ElEmpty } from 'element-plus/es/components/empty/index.mjs';
import { ElForm, ElFormItem } from 'element-plus/es/components/form/index.mjs';
import { ElIcon } from 'element-plus/es/components/icon/index.mjs';
import { ElInput } from 'element-plus/es/components/input/index.mjs';
import { ElLink } from 'element-plus/es/components/link/index.mjs';
import { ElMenu, ElMenuItem, ElSubMenu } from 'element-plus/es/components/menu/index.mjs';
import { ElSelect, ElOption } from 'element-plus/es/components/select/index.mjs';
import { ElRadio, ElRadioGroup, ElRadioButton } from 'element-plus/es/components/radio/index.mjs';
import { ElPagination } from 'element-plus/es/components/pagination/index.mjs';
import { ElResult } from 'element-plus/es/components/result/index.mjs';
import { ElScrollbar } from 'element-plus/es/components/scrollbar/index.mjs';
import { ElSwitch } from 'element-plus/es/components/switch/index.mjs';
import { ElTable, ElTableColumn } from 'element-plus/es/components/table/index.mjs';
import { ElTag } from 'element-plus/es/components/tag/index.mjs';
import { ElTabs, ElTabPane } from 'element-plus/es/components/tabs/index.mjs';
import { ElInputNumber } from 'element-plus/es/components/input-number/index.mjs';
import { ElTooltip } from 'element-plus/es/components/tooltip/index.mjs';
import { ElTree } from 'element-plus/es/components/tree/index.mjs';
import { ElTreeSelect } from 'element-plus/es/components/tree-select/index.mjs';
import { ElLoading } from 'element-plus/es/components/loading/index.mjs';
import { ElMessage } from 'element-plus/es/components/message/index.mjs';
import { ElMessageBox } from 'element-plus/es/components/message-box/index.mjs';

import 'element-plus/es/components/base/style/css';
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/aside/style/css';
import 'element-plus/es/components/breadcrumb/style/css';
import 'element-plus/es/components/breadcrumb-item/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/config-provider/style/css';
import 'element-plus/es/components/container/style/css';
import 'element-plus/es/components/date-picker/style/css';
import 'element-plus/es/components/descriptions/style/css';
import 'element-plus/es/components/descriptions-item/style/css';
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/divider/style/css';
import 'element-plus/es/components/empty/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/header/style/css';
import 'element-plus/es/components/icon/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/link/style/css';
import 'element-plus/es/components/loading/style/css';
import 'element-plus/es/components/main/style/css';
import 'element-plus/es/components/menu/style/css';
import 'element-plus/es/components/menu-item/style/css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/option/style/css';
import 'element-plus/es/components/pagination/style/css';
import 'element-plus/es/components/radio/style/css';
import 'element-plus/es/components/radio-group/style/css';
import 'element-plus/es/components/radio-button/style/css';
import 'element-plus/es/components/result/style/css';
import 'element-plus/es/components/scrollbar/style/css';
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/sub-menu/style/css';
import 'element-plus/es/components/switch/style/css';
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';
import 'element-plus/es/components/tag/style/css';
import 'element-plus/es/components/tabs/style/css';
import 'element-plus/es/components/tab-pane/style/css';
import 'element-plus/es/components/input-number/style/css';
import 'element-plus/es/components/tooltip/style/css';
import 'element-plus/es/components/tree/style/css';
import 'element-plus/es/components/tree-select/style/css';

export { ElMessage, ElMessageBox };

const components = [
  ElAlert, ElContainer, ElHeader, ElAside, ElMain, ElBreadcrumb, ElBreadcrumbItem, ElButton,
  ElCard, ElConfigProvider, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider,
  ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElLink, ElMenu, ElMenuItem, ElSubMenu, ElSelect,
  ElOption, ElPagination, ElResult, ElScrollbar, ElSwitch, ElTable, ElTableColumn, ElTag,
  ElTooltip, ElTree, ElTreeSelect, ElTabs, ElTabPane, ElInputNumber, ElRadio, ElRadioGroup, ElRadioButton,
];

export default {
  install(app) {
    for (const c of components) app.use(c);
    app.use(ElLoading);
  },
};
