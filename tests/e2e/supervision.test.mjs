// The supervision module (督查督办, the 13710 clock) in a real browser against a real server:
// the city's supervisor (南阳市委督查室) assigns a task to 南阳市发展和改革委员会; the commission's
// reporter sees it in 我的任务 with an unread notification on the bell, receives it, files a
// plan and a progress feedback, is told to upload evidence before reporting completion, uploads
// a file and reports completion; the supervisor accepts it and the task shows 已办结 with every
// step on its timeline. A meeting's decision becomes a task in one click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env;
let supervisorApi; // API client of `supervisor`, for checks behind what the pages show
const RUN = String(Date.now() % 100000);
const TITLE = `推进中心城区停车设施建设专项工作${RUN}`;
const FGW = 'D411300-FGW';
const FGW_NAME = '南阳市发展和改革委员会';

before(async () => {
  env = await setup();
  supervisorApi = await loginAs(env.url, 'supervisor');
});
after(async () => { await env?.stop(); });

async function confirmBox(page) {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await box.waitFor({ state: 'hidden' });
}

// Picks a unit in an el-tree-select by typing part of its name and clicking the node.
async function pickUnit(page, testid, name) {
  const select = page.locator(`.el-select[data-testid="${testid}"]`);
  await select.click();
  await select.locator('input').first().fill(name);
  await page.locator(`.el-tree[data-testid="${testid}"] .el-tree-node__content:visible`, { hasText: name }).first().click();
}

// Picks an option of an el-select by its text.
async function pickOption(page, testid, text) {
  await page.locator(`[data-testid="${testid}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

// Runs one task action that opens the text dialog, and waits for the state it leads to.
async function act(page, action, text, state) {
  await page.locator(`[data-testid="sup-act-${action}"]`).click();
  const dialog = page.locator('[data-testid="sup-act-dialog"]');
  await dialog.locator('[data-testid="sup-act-text"]').fill(text);
  await dialog.locator('[data-testid="sup-act-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  if (state) await page.locator('[data-testid="sup-task-state"]', { hasText: state }).waitFor();
}

test('13710 闭环: the supervisor assigns to 发改委, its reporter receives, plans, reports progress, uploads evidence and reports completion; the supervisor accepts', async () => {
  // ---- the supervisor assigns the task from the board
  const boss = await env.newPage();
  await login(boss, env.url, 'supervisor');
  await boss.locator('[data-testid="menu-tasks"]').click();
  await boss.waitForURL((u) => u.pathname === '/supervision/board');
  await boss.locator('[data-testid="sup-board-lights"]').waitFor();
  await boss.locator('[data-testid="sup-assign"]').click();
  const dialog = boss.locator('[data-testid="sup-assign-dialog"]');
  await dialog.locator('[data-testid="sup-assign-title"]').fill(TITLE);
  await dialog.locator('[data-testid="sup-assign-description"]').fill('摸清中心城区停车泊位缺口，提出新建公共停车场选址和建设计划。');
  await pickOption(boss, 'sup-assign-source', '领导批示');
  await dialog.locator('[data-testid="sup-assign-source-ref"]').fill(`市长批示第${RUN}号`);
  await pickUnit(boss, 'sup-assign-owner', FGW_NAME);
  await shot(boss, 'supervision-assign');
  await dialog.locator('[data-testid="sup-assign-submit"]').click();
  await boss.waitForURL((u) => /^\/supervision\/tasks\/\d+$/.test(u.pathname));
  const taskPath = new URL(boss.url()).pathname;
  const code = (await boss.locator('[data-testid="sup-task-code"]').innerText()).trim();
  assert.match(code, /^DB\d{4}-\d+$/);
  assert.match(await boss.locator('[data-testid="sup-task-state"]').innerText(), /已交办/);
  assert.match(await boss.locator('[data-testid="sup-task-owner"]').innerText(), new RegExp(FGW_NAME));
  assert.match(await boss.locator('[data-testid="sup-task-light"]').innerText(), /绿灯/);
  // the 13710 steps: 签收, 办理方案, 进展反馈 and 办结, each with its date
  const steps = await boss.locator('[data-testid="sup-task-steps"]').innerText();
  for (const s of ['签收', '办理方案', '进展反馈', '办结']) assert.match(steps, new RegExp(s));
  assert.match(steps, /\d{4}年\d{1,2}月\d{1,2}日/);
  assert.deepEqual(boss.errors, []);

  // ---- the commission's reporter: 我的任务 and the bell
  const fgw = await env.newPage();
  await login(fgw, env.url, 'reporter_fgw');
  const count = fgw.locator('[data-testid="bell-count"]');
  await count.waitFor();
  assert.ok(Number((await count.innerText()).trim()) >= 1);
  await fgw.locator('[data-testid="menu-tasks"]').click();
  await fgw.waitForURL((u) => u.pathname === '/supervision/mine');
  const row = fgw.locator(`[data-testid="sup-mine-row-${code}"]`);
  await row.waitFor();
  assert.match(await fgw.locator(`[data-testid="sup-mine-state-${code}"]`).innerText(), /已交办/);
  assert.match(await fgw.locator(`[data-testid="sup-mine-light-${code}"]`).innerText(), /绿灯/);
  assert.match(await fgw.locator(`[data-testid="sup-mine-next-${code}"]`).innerText(), /签收.*\d{4}年\d{1,2}月\d{1,2}日前/);
  await shot(fgw, 'supervision-mine');

  // the bell lists the assignment unread; a click marks it read and opens the task
  await fgw.locator('[data-testid="bell"]').click();
  const panel = fgw.locator('[data-testid="bell-panel"]');
  await panel.waitFor();
  const item = panel.locator('.td-bell-item.unread', { hasText: TITLE }).first();
  await item.waitFor();
  await shot(fgw, 'supervision-bell');
  await item.click();
  await fgw.waitForURL((u) => u.pathname === taskPath);
  await fgw.locator('[data-testid="sup-task-code"]', { hasText: code }).waitFor();
  // reopened, the bell shows that notification read (the count itself may grow with the
  // scheduler's reminders meanwhile)
  await fgw.locator('[data-testid="bell"]').click();
  await panel.locator('.td-bell-item[data-read="1"]', { hasText: TITLE }).first().waitFor();
  assert.equal(await panel.locator('.td-bell-item.unread', { hasText: TITLE }).count(), 0);
  await fgw.locator('[data-testid="bell"]').click();
  await panel.waitFor({ state: 'hidden' });

  // ---- 签收 → 办理方案 → 进展反馈
  await fgw.locator('[data-testid="sup-act-receive"]').click();
  await confirmBox(fgw);
  await fgw.locator('[data-testid="sup-task-state"]', { hasText: '已签收' }).waitFor();
  await act(fgw, 'plan', '一、6月底前完成中心城区停车泊位普查；二、7月提出新建公共停车场选址方案；三、纳入年度重点项目推进。', '办理中');
  assert.match(await fgw.locator('[data-testid="sup-task-plan"]').innerText(), /停车泊位普查/);
  await act(fgw, 'feedback', '已完成中心城区 6 个街道的泊位普查，缺口约 1.2 万个，选址方案正在征求意见。', '办理中');
  // the 签收 and 办理方案 steps are done on time
  assert.match(await fgw.locator('[data-testid="sup-step-state-receipt-1"]').innerText(), /按时完成/);
  assert.match(await fgw.locator('[data-testid="sup-step-state-plan-1"]').innerText(), /按时完成/);

  // ---- 申请办结 without evidence: the server's reason is shown in the dialog
  await fgw.locator('[data-testid="sup-act-complete"]').click();
  const actDialog = fgw.locator('[data-testid="sup-act-dialog"]');
  await actDialog.locator('[data-testid="sup-act-text"]').fill('新建公共停车场选址方案已经市政府常务会议审定。');
  await actDialog.locator('[data-testid="sup-act-submit"]').click();
  await actDialog.locator('[data-testid="sup-act-error"]', { hasText: '请先上传佐证材料' }).waitFor();
  await actDialog.getByRole('button', { name: '取消' }).click();
  await actDialog.waitFor({ state: 'hidden' });

  // ---- the evidence file
  await fgw.locator('[data-testid="sup-upload-input"]').setInputFiles({
    name: '停车场选址方案审定纪要.txt', mimeType: 'text/plain',
    buffer: Buffer.from('市政府常务会议纪要（摘录）：原则同意中心城区新建公共停车场选址方案。\n', 'utf8'),
  });
  const file = fgw.locator('[data-testid="sup-file-停车场选址方案审定纪要.txt"]');
  await file.waitFor();
  assert.match(await file.getAttribute('href'), new RegExp(`^/api/v1/tasks/\\d+/files/\\d+$`));
  // the link downloads the same bytes
  const bytes = await fgw.evaluate(async (href) => (await (await fetch(href)).text()), await file.getAttribute('href'));
  assert.match(bytes, /原则同意中心城区新建公共停车场选址方案/);

  // ---- 申请办结
  await act(fgw, 'complete', '新建公共停车场选址方案已经市政府常务会议审定，纳入年度重点项目。', '待验收');
  assert.equal(await fgw.locator('[data-testid="sup-act-complete"]').count(), 0);
  await shot(fgw, 'supervision-reported');
  assert.deepEqual(fgw.errors, []);

  // ---- the supervisor accepts
  await boss.goto(`${env.url}${taskPath}`);
  await boss.locator('[data-testid="sup-task-state"]', { hasText: '待验收' }).waitFor();
  await act(boss, 'accept', '办理结果符合要求，同意办结。', '已办结');
  assert.match(await boss.locator('[data-testid="sup-task-result"]').innerText(), /市政府常务会议审定/);
  // a closed task shows no light and no accept button any more
  assert.equal(await boss.locator('[data-testid="sup-task-light"]').count(), 0);
  assert.equal(await boss.locator('[data-testid="sup-act-accept"]').count(), 0);
  // every step is on the timeline, in order
  const timeline = boss.locator('[data-testid="sup-task-timeline"]');
  const kinds = await timeline.locator('[data-testid^="sup-ev-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice(7)));
  const order = ['assigned', 'received', 'plan', 'feedback', 'file', 'reported', 'accepted'];
  let at = -1;
  for (const k of order) {
    const i = kinds.indexOf(k, at + 1);
    assert.ok(i > at, `timeline ${kinds.join(',')} lacks ${k} after position ${at}`);
    at = i;
  }
  const text = await timeline.innerText();
  for (const w of ['交办', '签收', '办理方案', '进展反馈', '上传佐证材料', '申请办结', '验收办结']) assert.match(text, new RegExp(w));
  assert.match(text, /何办理/);
  await shot(boss, 'supervision-closed');

  // the board no longer counts it among the open tasks; the list shows it 已办结
  const r = await supervisorApi.get(`/api/v1/tasks?q=${encodeURIComponent(code)}&state=closed`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 1);
  await boss.goto(`${env.url}/supervision/board?state=closed&q=${encodeURIComponent(code)}`);
  await boss.locator(`[data-testid="sup-state-${code}"]`, { hasText: '已办结' }).waitFor();
  await boss.locator('[data-testid="sup-board-chart"] canvas').waitFor();
  await shot(boss, 'supervision-board');
  assert.deepEqual(boss.errors, []);
});

test('周碰头: a decision of the minutes becomes a task in one click and links to it', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'supervisor');
  await page.goto(`${env.url}/supervision/meetings`);
  await page.locator('[data-testid="sup-meeting-create"]').click();
  await page.waitForURL((u) => u.pathname === '/supervision/meetings/new');
  await page.locator('[data-testid="sup-meeting-title"]').fill(`第${RUN}次经济运行周碰头会`);
  await page.locator('[data-testid="sup-meeting-place"]').fill('市政府第一会议室');
  await page.locator('[data-testid="sup-meeting-chair"]').fill('常务副市长');
  await page.locator('[data-testid="sup-decision-add"]').click();
  const decision = `市发展改革委牵头梳理二季度投资缺口清单${RUN}`;
  await page.locator('[data-testid="sup-decision-text-0"]').fill(decision);
  await pickUnit(page, 'sup-decision-owner-0', FGW_NAME);
  await page.locator('[data-testid="sup-meeting-save"]').click();
  await page.waitForURL((u) => /^\/supervision\/meetings\/\d+$/.test(u.pathname));
  const toTask = page.locator('[data-testid="sup-decision-to-task-0"]');
  await toTask.waitFor();
  await shot(page, 'supervision-meeting');

  // one click: the decision is a task, its code links to the task page
  await toTask.click();
  const link = page.locator('[data-testid="sup-decision-task-0"]');
  await link.waitFor();
  const code = (await link.innerText()).trim();
  assert.match(code, /^DB\d{4}-\d+$/);
  assert.equal(await toTask.count(), 0);
  await link.click();
  await page.waitForURL((u) => /^\/supervision\/tasks\/\d+$/.test(u.pathname));
  assert.equal((await page.locator('[data-testid="sup-task-code"]').innerText()).trim(), code);
  assert.match(await page.locator('[data-testid="sup-task-facts"]').innerText(), /会议议定/);
  assert.match(await page.locator('[data-testid="sup-task-facts"]').innerText(), new RegExp(`第${RUN}次经济运行周碰头会`));
  assert.match(await page.locator('[data-testid="sup-task-owner"]').innerText(), new RegExp(FGW_NAME));
  await shot(page, 'supervision-meeting-task');
  assert.deepEqual(page.errors, []);
});
