// Reads the Parquet tables of a frontiersim result directory with hyparquet
// (an implementation independent of the Go writer) and compares them with
// the CSV tables, value for value: the same columns in the same order, the
// same rows, every float the same double (NaN and infinities included),
// and paths.parquet at the horizon equal to runs.csv. Prints one line per
// file and exits 1 on the first difference.
//
// usage: node check.mjs DIR
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: node check.mjs DIR')
  process.exit(2)
}

function fail(msg) {
  console.error('parquetcheck: ' + msg)
  process.exit(1)
}

// parseCSV parses RFC 4180 CSV (quoted fields, doubled quotes).
function parseCSV(text) {
  const rows = []
  let row = [], field = '', quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++ } else quoted = false
      } else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(field); field = '' }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = '' }
    else if (c !== '\r') field += c
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row) }
  return rows
}

function parseFloatText(s) {
  if (s === 'NaN') return NaN
  if (s === '+Inf') return Infinity
  if (s === '-Inf') return -Infinity
  return Number(s)
}

// same compares a Parquet value with a CSV cell.
function same(v, text) {
  switch (typeof v) {
    case 'number': return Object.is(v, parseFloatText(text))
    case 'bigint': return v.toString() === text
    case 'boolean': return String(v) === text
    default: return String(v) === text
  }
}

function toArrayBuffer(path) {
  const b = readFileSync(path)
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
}

async function readParquet(path) {
  const file = toArrayBuffer(path)
  const meta = parquetMetadata(file)
  if (meta.created_by !== 'frontiersim') fail(`${path}: created_by ${meta.created_by}, want frontiersim`)
  const columns = meta.schema.slice(1).map(s => s.name)
  const rows = await parquetReadObjects({ file, columns })
  return { columns, rows }
}

async function compareTable(name) {
  const csv = parseCSV(readFileSync(join(dir, name + '.csv'), 'utf8'))
  const header = csv[0], body = csv.slice(1)
  const { columns, rows } = await readParquet(join(dir, name + '.parquet'))
  if (columns.join(',') !== header.join(',')) fail(`${name}: Parquet columns ${columns} differ from the CSV header ${header}`)
  if (rows.length !== body.length) fail(`${name}: ${rows.length} Parquet rows, ${body.length} CSV rows`)
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < header.length; j++) {
      const v = rows[i][header[j]]
      if (!same(v, body[i][j])) fail(`${name} row ${i + 1}, column ${header[j]}: Parquet ${v}, CSV ${body[i][j]}`)
    }
  }
  console.log(`${name}.parquet: ${rows.length} rows × ${columns.length} columns, the same as ${name}.csv`)
  return { header, body }
}

const runs = await compareTable('runs')
await compareTable('timeseries')
await compareTable('comparison')

// paths.parquet: long form; at the horizon it is runs.csv.
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
const plan = manifest.plan
const horizon = plan.months - 1
const metrics = plan.metrics.map(m => m.name)
const swept = plan.sweep ? plan.sweep.parameters : []
const { columns, rows } = await readParquet(join(dir, 'paths.parquet'))
const want = ['arm', 'point', ...swept, 'replication', 'month', 'metric', 'value']
if (columns.join(',') !== want.join(',')) fail(`paths: columns ${columns}, want ${want}`)
const nRuns = runs.body.length
if (rows.length !== nRuns * plan.months * metrics.length) fail(`paths: ${rows.length} rows, want ${nRuns} runs × ${plan.months} months × ${metrics.length} metrics`)
const pointParams = new Map(plan.points.map(p => [p.name, p.params || []]))
// runs.csv's columns by name: arm, point, the swept parameters, replication,
// then one per metric
const col = name => {
  const i = runs.header.indexOf(name)
  if (i < 0) fail(`runs.csv has no column ${name}`)
  return i
}
const iArm = col('arm'), iPoint = col('point'), iRep = col('replication')
const iMetric = metrics.map(col)
let checked = 0
for (let r = 0; r < nRuns; r++) {
  const run = runs.body[r]
  const base = (r * plan.months + horizon) * metrics.length
  for (let c = 0; c < metrics.length; c++) {
    const row = rows[base + c]
    if (row.arm !== run[iArm] || row.point !== run[iPoint] || row.replication.toString() !== run[iRep] ||
      Number(row.month) !== horizon || row.metric !== metrics[c]) {
      fail(`paths row ${base + c + 1}: ${JSON.stringify(row, (k, v) => typeof v === 'bigint' ? v.toString() : v)}, want runs.csv row ${r + 1} at month ${horizon}, metric ${metrics[c]}`)
    }
    if (!same(row.value, run[iMetric[c]])) fail(`paths: ${row.arm} ${row.point} ${run[iRep]} ${metrics[c]} at the horizon: Parquet ${row.value}, runs.csv ${run[iMetric[c]]}`)
    for (const p of pointParams.get(row.point)) {
      if (!Object.is(row[p.name], p.value)) fail(`paths: point ${row.point}: ${p.name} is ${row[p.name]}, the manifest says ${p.value}`)
    }
    checked++
  }
}
console.log(`paths.parquet: ${rows.length} rows; the ${checked} values at the horizon are runs.csv's`)
