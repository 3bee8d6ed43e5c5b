// Offline check of rendered manifests (`kubectl kustomize DIR | node validate-manifests.mjs NAME`):
// every object against the Kubernetes JSON schemas of the npm package kubernetes-models (which
// knows batch/v1 Job's podFailurePolicy), then what the schemas cannot see: the Indexed Job's
// rules from docs/distributed.md, and references that would leave a pod unschedulable.
// With --extract DIR it writes each ConfigMap's scenario.toml and the mock's args there, so
// scripts/check-packages.sh can run them with the real binary. Exit 1 on any finding.
import { readFileSync, writeFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const name = process.argv[2] ?? "manifests";
const extractAt = process.argv.indexOf("--extract");
const extractDir = extractAt > 0 ? process.argv[extractAt + 1] : null;
const problems = [];
const fail = (where, what) => problems.push(`${name}: ${where}: ${what}`);

const docs = parseAllDocuments(readFileSync(0, "utf8"))
  .map((d) => {
    if (d.errors.length) fail("YAML", d.errors.map((e) => e.message).join("; "));
    return d.toJS();
  })
  // kustomize v2 leaves `{}` where a `$patch: delete` removed an object.
  .filter((o) => o && Object.keys(o).length > 0);

// --- schemas
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return null;
  }
}
for (const o of docs) {
  const where = `${o.kind ?? "?"}/${o.metadata?.name ?? "?"}`;
  const Model = o.apiVersion && o.kind ? await modelFor(o.apiVersion, o.kind) : null;
  if (!Model) {
    fail(where, `no schema for apiVersion ${o.apiVersion} kind ${o.kind}`);
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    fail(where, `schema: ${e.message}`);
  }
}

// --- what the schemas cannot check
const byKind = (kind) => docs.filter((o) => o.kind === kind);
const configMaps = new Map(byKind("ConfigMap").map((c) => [c.metadata.name, c]));
const claims = new Set(byKind("PersistentVolumeClaim").map((c) => c.metadata.name));

function checkPod(where, spec) {
  const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
  for (const c of spec.containers ?? []) {
    for (const m of c.volumeMounts ?? [])
      if (!volumes.has(m.name)) fail(where, `container ${c.name} mounts volume ${m.name}, which the pod does not define`);
    for (const e of c.envFrom ?? [])
      if (e.configMapRef && !configMaps.has(e.configMapRef.name))
        fail(where, `envFrom names ConfigMap ${e.configMapRef.name}, which is not in the manifests`);
  }
  for (const v of volumes.values()) {
    if (v.configMap && !configMaps.has(v.configMap.name)) fail(where, `volume ${v.name}: ConfigMap ${v.configMap.name} is not in the manifests`);
    if (v.persistentVolumeClaim && !claims.has(v.persistentVolumeClaim.claimName))
      fail(where, `volume ${v.name}: PersistentVolumeClaim ${v.persistentVolumeClaim.claimName} is not in the manifests`);
  }
  return volumes;
}

const jobs = byKind("Job");
if (jobs.length !== 1) fail("Job", `expected one Job, found ${jobs.length}`);
for (const job of jobs) {
  const where = `Job/${job.metadata.name}`;
  const s = job.spec ?? {};
  const pod = s.template?.spec ?? {};
  if (s.completionMode !== "Indexed") fail(where, "completionMode must be Indexed (JOB_COMPLETION_INDEX is the shard index)");
  if (!(s.completions >= 1) || s.completions !== s.parallelism)
    fail(where, `completions (${s.completions}) and parallelism (${s.parallelism}) must be equal: every shard runs at once`);
  if (s.backoffLimit !== 0) fail(where, `backoffLimit must be 0 (a retried shard adds load at the wrong time), is ${s.backoffLimit}`);
  if (pod.restartPolicy !== "Never") fail(where, "restartPolicy must be Never");
  const late = (s.podFailurePolicy?.rules ?? []).find(
    (r) => r.action === "FailJob" && r.onExitCodes?.operator === "In" && r.onExitCodes.values?.includes(4));
  if (!late) fail(where, "podFailurePolicy needs a FailJob rule for exit code 4 (shard started too late)");
  const spread = pod.topologySpreadConstraints ?? [];
  if (!spread.some((t) => t.topologyKey === "kubernetes.io/hostname")) fail(where, "no topologySpreadConstraints across nodes (kubernetes.io/hostname)");
  const podLabels = s.template?.metadata?.labels ?? {};
  for (const t of spread)
    for (const [k, v] of Object.entries(t.labelSelector?.matchLabels ?? {}))
      if (podLabels[k] !== v) fail(where, `topology spread selects ${k}=${v}, which the Job's own pods do not carry`);
  checkPod(where, pod);
  const shard = (pod.containers ?? []).find((c) => c.name === "llmbench");
  if (!shard) {
    fail(where, "no container named llmbench (the podFailurePolicy rule names it)");
    continue;
  }
  if (late?.onExitCodes.containerName && late.onExitCodes.containerName !== shard.name)
    fail(where, `the exit-code rule names container ${late.onExitCodes.containerName}`);
  const shards = (shard.env ?? []).find((e) => e.name === "LLMBENCH_SHARDS");
  if (!shards || Number(shards.value) !== s.completions)
    fail(where, `env LLMBENCH_SHARDS (${shards?.value}) must equal completions (${s.completions})`);
  // The shard runs through sh -c (job.yaml says why): the script raises the descriptor limit, then
  // execs llmbench, whose exit code (4: too late) is then the container's.
  const [sh, dashC] = shard.command ?? [];
  const script = (shard.args ?? [])[0] ?? "";
  if (sh !== "sh" || dashC !== "-c" || (shard.args ?? []).length !== 1)
    fail(where, "the shard must run as command [sh, -c] with one script argument (job.yaml says why)");
  if (!/^ulimit -n "\$\$\(ulimit -Hn\)" && exec llmbench /.test(script))
    fail(where, `the script must raise the descriptor limit, then exec llmbench: ${script}`);
  // Kubernetes turns $$ into $ before the shell sees it.
  if (extractDir) writeFileSync(`${extractDir}/${name}-shard.sh`, script.replaceAll("$$", "$") + "\n");
  const args = (script.split(/\bexec llmbench /)[1] ?? "").trim().split(/\s+/).map((a) => a.replace(/^"(.*)"$/, "$1"));
  const after = (flag) => args[args.indexOf(flag) + 1];
  if (args[0] !== "run" || after("--shard") !== "auto") fail(where, `llmbench must run 'run SCENARIO --shard auto ...', runs ${args.join(" ")}`);
  if (after("--start-at") !== "$LLMBENCH_START_AT") fail(where, "--start-at must be $LLMBENCH_START_AT: the shards would not start together");
  const out = after("--out");
  if (out !== "-") {
    if (!/\$JOB_COMPLETION_INDEX\b/.test(out ?? "")) fail(where, `--out ${out} is not per shard (needs $JOB_COMPLETION_INDEX, or -)`);
    const dir = (out ?? "").replace(/\/[^/]*$/, "");
    if (!(shard.volumeMounts ?? []).some((m) => m.mountPath === dir)) fail(where, `--out ${out}: nothing is mounted at ${dir}`);
  }
  const scenario = args[1];
  const mount = (shard.volumeMounts ?? []).find((m) => scenario?.startsWith(m.mountPath + "/"));
  const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
  const file = scenario?.slice(mount?.mountPath.length + 1);
  const cm = volume?.configMap && configMaps.get(volume.configMap.name);
  if (!cm?.data?.[file]) fail(where, `the scenario ${scenario} is not a key of a mounted ConfigMap`);
  else if (extractDir) writeFileSync(`${extractDir}/${name}-scenario.toml`, cm.data[file]);
}

// The self-test's mock: the Service must reach the Deployment, and the mock must listen beyond loopback.
for (const d of byKind("Deployment")) {
  const where = `Deployment/${d.metadata.name}`;
  checkPod(where, d.spec.template.spec);
  const c = d.spec.template.spec.containers[0];
  const args = c.args ?? [];
  if (args[0] === "mock") {
    if (args[args.indexOf("--host") + 1] !== "0.0.0.0") fail(where, "the mock must listen on --host 0.0.0.0 (it binds 127.0.0.1 unless told)");
    const port = Number(args[args.indexOf("--port") + 1]);
    const svc = byKind("Service").find((v) =>
      Object.entries(v.spec.selector ?? {}).every(([k, val]) => d.spec.template.metadata.labels?.[k] === val));
    if (!svc) fail(where, "no Service selects the mock's pods");
    else {
      const ports = (svc.spec.ports ?? []).map((p) =>
        typeof p.targetPort === "string" ? (c.ports ?? []).find((cp) => cp.name === p.targetPort)?.containerPort : p.targetPort ?? p.port);
      if (!ports.includes(port)) fail(`Service/${svc.metadata.name}`, `does not forward to the mock's port ${port}`);
      const url = `http://${svc.metadata.name}:${svc.spec.ports[0].port}`;
      const job = jobs[0];
      const text = [...configMaps.values()].map((m) => Object.values(m.data ?? {}).join("\n")).join("\n");
      if (job && !text.includes(`url = "${url}"`)) fail(where, `no scenario targets the mock's Service (${url})`);
    }
    if (extractDir) writeFileSync(`${extractDir}/${name}-mock.args`, args.join("\n") + "\n");
  }
}

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${name}: ${docs.length} objects valid (${docs.map((o) => o.kind).join(", ")})`);
