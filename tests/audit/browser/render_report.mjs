// Opens casecheck's audit report (report.html) in Debian's headless Chromium, checks that the
// page rendered its three charts with as many marks as report.json beside it implies, that it
// logged no error and asked for nothing over the network, and takes a screenshot.
//
//   node render_report.mjs [--width PX] [--clip-height PX] DIR/report.html SCREENSHOT.png
//   node render_report.mjs --self-test DIR/report.html
//
// --self-test checks the report as given, then damaged copies of it that must fail, so that a
// check which could never fail is caught. Exit status: 0 when everything held, 1 when a check
// failed, 2 for usage errors, unreadable input or a browser that would not start.
import { chromium } from 'playwright-core';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.CASECHECK_CHROMIUM || '/usr/bin/chromium';
// Root on a closed network: no sandbox (it refuses to run as root without), no GPU, and none of
// the background fetches a fresh profile would otherwise try and log as failures.
const CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
];
const CHART_IDS = ['compliance-by-criterion', 'trend-by-month', 'team-by-criterion'];

class UsageError extends Error {}

function parseArguments(argv) {
    const options = { width: 1200, clipHeight: 0, selfTest: false, files: [] };
    for (let i = 0; i < argv.length; ++i) {
        const arg = argv[i];
        const number = () => {
            const value = Number(argv[++i]);
            if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${arg} needs a positive whole number of pixels`);
            return value;
        };
        if (arg === '--self-test') options.selfTest = true;
        else if (arg === '--width') options.width = number();
        else if (arg === '--clip-height') options.clipHeight = number();
        else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
        else options.files.push(arg);
    }
    if (options.files.length !== (options.selfTest ? 1 : 2)) {
        throw new UsageError('usage: render_report.mjs [--width PX] [--clip-height PX] REPORT.html SCREENSHOT.png\n' +
                             '       render_report.mjs --self-test REPORT.html');
    }
    return options;
}

// What the charts must hold, from report.json: the renderer charts only the criteria that judged
// at least one record, its heat map has a row for every team any of those criteria saw, and the
// trend has a point for every month with a rate.
function expectedMarks(reportJson) {
    const charted = reportJson.criteria.filter((c) => c.denominator > 0);
    const teams = new Set();
    for (const c of charted) for (const v of c.strata?.team ?? []) teams.add(v.value);
    const months = reportJson.trend.filter((point) => point.rate !== null);
    return {
        criteria: charted.map((c) => c.id),
        teams: [...teams].sort(),
        months: months.map((point) => point.value),
    };
}

// Everything measured in the page at once: counts, sizes and labels of each chart's marks.
function measureCharts(ids) {
    const box = (element) => {
        const r = element.getBoundingClientRect();
        return { width: r.width, height: r.height };
    };
    const result = {};
    for (const id of ids) {
        const svgs = document.querySelectorAll(`svg#${id}`);
        if (svgs.length !== 1) {
            result[id] = { count: svgs.length };
            continue;
        }
        const svg = svgs[0];
        const style = getComputedStyle(svg);
        const marks = (selector) => [...svg.querySelectorAll(selector)].map(box);
        result[id] = {
            count: 1,
            display: style.display,
            visibility: style.visibility,
            box: box(svg),
            rects: marks('rect'),
            paths: marks('path'),
            circles: marks('circle'),
            labels: [...svg.querySelectorAll('text.label')].map((t) => t.textContent),
        };
    }
    result.page = { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };
    return result;
}

function checkCharts(measured, expected, visible) {
    const problems = [];
    for (const id of CHART_IDS) {
        const chart = measured[id];
        if (chart.count !== 1) {
            problems.push(`chart svg#${id}: found ${chart.count} in the page, expected exactly 1`);
            continue;
        }
        if (!visible[id] || chart.display === 'none' || chart.visibility !== 'visible') {
            problems.push(`chart svg#${id}: not visible (display ${chart.display}, visibility ${chart.visibility})`);
        }
        if (!(chart.box.width > 0 && chart.box.height > 0)) {
            problems.push(`chart svg#${id}: empty bounding box ${chart.box.width}x${chart.box.height}`);
        }
    }
    const drawn = (boxes) => boxes.filter((b) => b.width > 0 && b.height > 0).length;
    const bars = measured['compliance-by-criterion'];
    if (bars.count === 1) {
        if (expected.criteria.length === 0) problems.push('report.json has no criterion that judged a record: nothing to chart');
        if (bars.rects.length !== expected.criteria.length) {
            problems.push(`chart svg#compliance-by-criterion: ${bars.rects.length} bars, expected ${expected.criteria.length} (one per judged criterion)`);
        }
        // A bar of a 0% criterion is legitimately zero wide, so only all of them being empty is wrong.
        if (bars.rects.length > 0 && drawn(bars.rects) === 0) problems.push('chart svg#compliance-by-criterion: no bar has a visible size');
        if (JSON.stringify(bars.labels) !== JSON.stringify(expected.criteria)) {
            problems.push(`chart svg#compliance-by-criterion: labels ${bars.labels.join(',')} are not the judged criteria ${expected.criteria.join(',')}`);
        }
    }
    const trend = measured['trend-by-month'];
    if (trend.count === 1) {
        if (expected.months.length === 0) problems.push('report.json has no month with a rate: nothing to chart');
        if (trend.circles.length !== expected.months.length) {
            problems.push(`chart svg#trend-by-month: ${trend.circles.length} points, expected ${expected.months.length} (one per month with a rate)`);
        }
        if (drawn(trend.circles) !== trend.circles.length) problems.push('chart svg#trend-by-month: a point has no visible size');
        if (expected.months.length > 0 && trend.paths.length !== 1) {
            problems.push(`chart svg#trend-by-month: ${trend.paths.length} line paths, expected 1`);
        }
        // One month draws a single point and a zero-length line, so the line's size says nothing then.
        if (expected.months.length > 1 && trend.paths.length === 1 && !(trend.paths[0].width > 0)) {
            problems.push('chart svg#trend-by-month: the line has no visible size');
        }
    }
    const heat = measured['team-by-criterion'];
    if (heat.count === 1) {
        const cells = expected.criteria.length * expected.teams.length;
        if (expected.teams.length === 0) problems.push('report.json has no team stratum: nothing to chart in the heat map');
        if (heat.rects.length !== cells) {
            problems.push(`chart svg#team-by-criterion: ${heat.rects.length} cells, expected ${cells} (${expected.teams.length} teams x ${expected.criteria.length} criteria)`);
        }
        if (drawn(heat.rects) !== heat.rects.length) problems.push('chart svg#team-by-criterion: a cell has no visible size');
        if (JSON.stringify(heat.labels) !== JSON.stringify(expected.teams)) {
            problems.push(`chart svg#team-by-criterion: row labels ${heat.labels.join(',')} are not the teams ${expected.teams.join(',')}`);
        }
    }
    if (measured.page.scrollWidth > measured.page.innerWidth) {
        problems.push(`the page is ${measured.page.scrollWidth} px wide in a ${measured.page.innerWidth} px window: something overflows sideways`);
    }
    return problems;
}

// Opens one report in a new tab and returns every problem found; takes the screenshot only when
// there is none, so that a broken page is never written where the README would show it.
async function renderReport(context, htmlPath, { width, clipHeight, screenshot }) {
    const jsonPath = join(dirname(htmlPath), 'report.json');
    let expected;
    try {
        expected = expectedMarks(JSON.parse(readFileSync(jsonPath, 'utf8')));
    } catch (error) {
        throw new UsageError(`cannot read ${jsonPath}: ${error.message}`);
    }
    const problems = [];
    const page = await context.newPage();
    try {
        await page.setViewportSize({ width, height: 900 });
        page.on('console', (message) => {
            if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()} (${request.failure()?.errorText})`));
        const url = pathToFileURL(resolve(htmlPath)).href;
        page.on('request', (request) => {
            if (request.url() !== url) problems.push(`the page fetched ${request.url()}; it must fetch nothing`);
        });
        const response = await page.goto(url, { waitUntil: 'load' });
        if (response && !response.ok()) problems.push(`opening ${url} answered ${response.status()}`);
        // Console messages and CSP reports can trail the load event by a frame or two.
        await page.waitForTimeout(250);
        const visible = {};
        for (const id of CHART_IDS) visible[id] = await page.locator(`svg#${id}`).first().isVisible();
        problems.push(...checkCharts(await page.evaluate(measureCharts, CHART_IDS), expected, visible));
        if (screenshot && problems.length === 0) {
            const fullHeight = await page.evaluate(() => document.documentElement.scrollHeight);
            const options = { path: screenshot, fullPage: true, animations: 'disabled' };
            if (clipHeight && fullHeight > clipHeight) options.clip = { x: 0, y: 0, width, height: clipHeight };
            await page.screenshot(options);
            console.log(`screenshot ${screenshot}: ${width}x${Math.min(fullHeight, clipHeight || fullHeight)} of a ${fullHeight} px high page`);
        }
    } finally {
        await page.close();
    }
    return { problems, expected };
}

// Damaged copies of the report, each with what its failure must say: a check that passed one of
// these would not be checking anything.
const MUTATIONS = [
    {
        name: 'trend chart deleted',
        change: (html) => html.replace(/<svg[^>]*id="trend-by-month"[\s\S]*?<\/svg>/, ''),
        expect: /svg#trend-by-month: found 0/,
    },
    {
        name: 'an image from the network (blocked by the CSP)',
        change: (html) => html.replace('</main>', '<img src="http://example.invalid/x.png"></main>'),
        expect: /console error: .*Content Security Policy/,
    },
    {
        name: 'an inline script (blocked by the CSP)',
        change: (html) => html.replace('</main>', '<script>document.title = "ran"</script></main>'),
        expect: /console error: .*Content Security Policy/,
    },
    {
        name: 'heat map hidden',
        change: (html) => html.replace('id="team-by-criterion"', 'id="team-by-criterion" style="display:none"'),
        expect: /svg#team-by-criterion: not visible/,
    },
    {
        name: 'one bar missing',
        change: (html) => html.replace(/(id="compliance-by-criterion"[\s\S]*?)<rect[^>]*\/>/, '$1'),
        expect: /svg#compliance-by-criterion: \d+ bars, expected/,
    },
    {
        name: 'one heat-map cell missing',
        change: (html) => html.replace(/(id="team-by-criterion"[\s\S]*?)<rect[^>]*\/>/, '$1'),
        expect: /svg#team-by-criterion: \d+ cells, expected/,
    },
];

async function selfTest(context, htmlPath, options) {
    let failures = 0;
    const report = (ok, what, detail) => {
        console.log(`${ok ? 'ok' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
        if (!ok) ++failures;
    };
    const original = await renderReport(context, htmlPath, options);
    report(original.problems.length === 0, `${htmlPath} renders cleanly`, original.problems.join('; '));
    const html = readFileSync(htmlPath, 'utf8');
    const scratch = mkdtempSync(join(tmpdir(), 'casecheck-render-self-test-'));
    try {
        copyFileSync(join(dirname(htmlPath), 'report.json'), join(scratch, 'report.json'));
        for (const mutation of MUTATIONS) {
            const changed = mutation.change(html);
            if (changed === html) {
                report(false, `damaged copy "${mutation.name}"`, 'the change did not apply: has the report changed shape?');
                continue;
            }
            const copy = join(scratch, 'report.html');
            writeFileSync(copy, changed);
            const { problems } = await renderReport(context, copy, options);
            const caught = problems.some((problem) => mutation.expect.test(problem));
            report(caught, `damaged copy "${mutation.name}" is caught`,
                   caught ? problems.find((problem) => mutation.expect.test(problem)) : `problems were: ${problems.join('; ') || 'none'}`);
        }
    } finally {
        rmSync(scratch, { recursive: true, force: true });
    }
    console.log(`${MUTATIONS.length + 1 - failures} passed, ${failures} failed`);
    return failures === 0;
}

async function main() {
    const options = parseArguments(process.argv.slice(2));
    const htmlPath = options.files[0];
    if (basename(htmlPath) !== 'report.html') console.error(`warning: ${htmlPath} is not named report.html; reading report.json beside it anyway`);
    const profile = mkdtempSync(join(tmpdir(), 'casecheck-chromium-'));
    let context;
    try {
        try {
            context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
        } catch (error) {
            throw new UsageError(`cannot start ${CHROMIUM}: ${error.message.split('\n')[0]}`);
        }
        // The persistent context opens with one blank tab; each report gets a tab of its own.
        for (const page of context.pages()) await page.close();
        if (options.selfTest) return (await selfTest(context, htmlPath, { width: options.width })) ? 0 : 1;
        const { problems, expected } = await renderReport(context, htmlPath,
            { width: options.width, clipHeight: options.clipHeight, screenshot: options.files[1] });
        if (problems.length > 0) {
            for (const problem of problems) console.error(`FAIL ${htmlPath}: ${problem}`);
            return 1;
        }
        console.log(`ok ${htmlPath}: ${expected.criteria.length} criteria, ${expected.months.length} months, ${expected.teams.length} teams charted; ` +
                    'no console error, no request');
        return 0;
    } finally {
        if (context) await context.close();
        rmSync(profile, { recursive: true, force: true });
    }
}

main().then((status) => { process.exitCode = status; }, (error) => {
    console.error(error instanceof UsageError ? error.message : `render_report.mjs: ${error.stack ?? error}`);
    process.exitCode = 2;
});
