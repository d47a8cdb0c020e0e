package dev.percept.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the inputs of `percept report` and `percept compare --in`: `percept compare` output
 * ({@code models}, {@code tasks}, {@code galleries}) and every evaluation result in the one schema
 * of {@code EvalResult} ({@code task}, {@code dataset}, {@code model}, {@code adapter}, {@code head},
 * {@code metrics}): `percept eval` tasks, 2AFC and rag, an alignment run's
 * {@code epochs/<n>/validation.json}, pretraining's {@code validation.json}. A 2AFC file in the
 * schema `eval 2afc` wrote before ({@code all}, {@code subsets}) is read too. They merge into one
 * table per task and dataset with one row per model, adapter and head (and one table per
 * {@code setting}, when a result has one: runs of a task that are not comparable, such as eval rag
 * with a vote and with a VLM). An eval result whose model, adapter and head match a compare model
 * takes its name.
 * Every missing or mistyped key is an error naming the file and the key's path.
 */
public final class ResultFiles {
    private ResultFiles() {}

    public static ReportData read(List<Path> files) {
        if (files.isEmpty()) {
            throw new PerceptException("no input files");
        }
        Merger merger = new Merger();
        List<JsonNode> evalResults = new ArrayList<>();
        List<Path> evalFiles = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = JsonFiles.readObject(file);
            if (root.has("tasks")) {
                merger.compare(new Node(file, "", root));
            } else if (root.has("task")) {
                evalResults.add(root);
                evalFiles.add(file);
            } else if (root.has("all") && root.has("subsets")) {
                evalResults.add(oldTwoAfc(new Node(file, "", root)));
                evalFiles.add(file);
            } else {
                throw new PerceptException(file + ": neither `percept compare` output (key 'tasks') nor a `percept eval` "
                        + "result (key 'task')");
            }
        }
        // After every compare file, so that its model names are known.
        for (int i = 0; i < evalResults.size(); i++) {
            merger.eval(new Node(evalFiles.get(i), "", evalResults.get(i)));
        }
        return merger.build(files);
    }

    /** An `eval 2afc` result of the schema before the common one, as a result of the common one. */
    private static JsonNode oldTwoAfc(Node root) {
        ObjectNode out = JsonFiles.mapper().createObjectNode();
        out.put("task", "2afc");
        out.put("dataset", root.text("data"));
        out.put("model", root.text("model"));
        out.putNull("adapter");
        ObjectNode metrics = out.putObject("metrics");
        oldScore(metrics.putObject("2afc"), root.get("all"));
        for (Map.Entry<String, Node> e : root.fields("subsets")) {
            if (root.json().get("subsets").size() > 1) {
                oldScore(metrics.putObject("2afc_" + e.getKey()), e.getValue());
            }
        }
        return out;
    }

    private static void oldScore(ObjectNode to, Node from) {
        to.put("value", from.number("score")).put("ci_low", from.number("ci_low")).put("ci_high", from.number("ci_high"))
                .put("higher_is_better", true);
    }

    /** A JSON value with the file it came from and its path in it, for errors. */
    private record Node(Path file, String where, JsonNode json) {
        Node get(String key) {
            JsonNode v = json.get(key);
            if (v == null) {
                throw new PerceptException(file + ": " + (where.isEmpty() ? "" : where + " ") + "is missing key '" + key + "'");
            }
            return new Node(file, where.isEmpty() ? key : where + "." + key, v);
        }

        List<Node> items(String key) {
            return get(key).elements();
        }

        List<Node> elements() {
            if (!json.isArray()) {
                throw wrong("a list");
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                out.add(new Node(file, where + "[" + i + "]", json.get(i)));
            }
            return out;
        }

        List<Map.Entry<String, Node>> fields(String key) {
            Node object = get(key);
            if (!object.json.isObject()) {
                throw object.wrong("an object");
            }
            List<Map.Entry<String, Node>> out = new ArrayList<>();
            object.json.fields().forEachRemaining(e ->
                    out.add(Map.entry(e.getKey(), new Node(file, object.where + "." + e.getKey(), e.getValue()))));
            return out;
        }

        String text(String key) {
            Node v = get(key);
            if (!v.json.isTextual()) {
                throw v.wrong("a string");
            }
            return v.json.asText();
        }

        /** A string, or null for JSON null or an absent key. */
        String optionalText(String key) {
            JsonNode v = json.get(key);
            return v == null || v.isNull() ? null : text(key);
        }

        double number(String key) {
            Node v = get(key);
            if (!v.json.isNumber()) {
                throw v.wrong("a number");
            }
            return v.json.asDouble();
        }

        boolean bool(String key) {
            Node v = get(key);
            if (!v.json.isBoolean()) {
                throw v.wrong("true or false");
            }
            return v.json.asBoolean();
        }

        ReportData.Cell cell() {
            return new ReportData.Cell(number("value"), number("ci_low"), number("ci_high"));
        }

        /** An image path (relative ones against the file's folder) that must exist. */
        Path image(String key) {
            Path p = Path.of(text(key));
            Path dir = file.toAbsolutePath().getParent();
            Path resolved = p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
            if (!Files.isRegularFile(resolved)) {
                throw new PerceptException(file + ": " + where + "." + key + ": no such image " + resolved);
            }
            return resolved;
        }

        PerceptException wrong(String expected) {
            return new PerceptException(file + ": " + where + " must be " + expected + ", got " + json);
        }
    }

    private static final class TableBuilder {
        final String task;
        final String dataset;
        final Map<String, ReportData.Metric> metrics = new LinkedHashMap<>();
        final Map<String, Map<String, ReportData.Cell>> cells = new LinkedHashMap<>();
        final Map<String, Path> cellSources = new LinkedHashMap<>();
        final Map<String, List<ReportData.Difference>> differences = new LinkedHashMap<>();

        TableBuilder(String task, String dataset) {
            this.task = task;
            this.dataset = dataset;
        }

        void metric(Node where, String name, boolean higherIsBetter) {
            ReportData.Metric m = metrics.putIfAbsent(name, new ReportData.Metric(name, higherIsBetter));
            if (m != null && m.higherIsBetter() != higherIsBetter) {
                throw new PerceptException(where.file() + ": " + where.where() + ": " + task + " on " + dataset + " metric '"
                        + name + "' is higher_is_better " + higherIsBetter + " here but not in an earlier file");
            }
        }

        void cell(Node where, String row, String metric, ReportData.Cell cell) {
            ReportData.Cell old = cells.computeIfAbsent(row, r -> new LinkedHashMap<>()).putIfAbsent(metric, cell);
            String key = row + "\u0000" + metric;
            if (old != null && !old.equals(cell)) {
                throw new PerceptException(where.file() + " and " + cellSources.get(key) + " give different values of " + metric
                        + " for " + row + " on " + task + " / " + dataset);
            }
            cellSources.putIfAbsent(key, where.file());
        }

        /** Rows in the order of {@code models} (compare models first), then any others as first seen. */
        ReportData.Table build(List<String> models) {
            List<String> rows = new ArrayList<>(cells.keySet());
            rows.sort(Comparator.comparingInt(r -> models.contains(r) ? models.indexOf(r) : models.size()));
            return new ReportData.Table(task, dataset, List.copyOf(metrics.values()), List.copyOf(rows), cells, differences);
        }
    }

    private static final class Merger {
        final List<ReportData.Model> models = new ArrayList<>();
        final Map<String, TableBuilder> tables = new LinkedHashMap<>();
        final List<ReportData.Gallery> galleries = new ArrayList<>();

        TableBuilder table(String task, String dataset) {
            return tables.computeIfAbsent(task + "\u0000" + dataset, k -> new TableBuilder(task, dataset));
        }

        void model(ReportData.Model m, Node where) {
            for (ReportData.Model known : models) {
                if (known.name().equals(m.name()) && !known.equals(m)) {
                    throw new PerceptException(where.file() + ": " + where.where() + ": model name '" + m.name()
                            + "' stands for " + known.model() + " elsewhere");
                }
            }
            if (!models.contains(m)) {
                models.add(m);
            }
        }

        void compare(Node root) {
            for (Node m : root.items("models")) {
                model(new ReportData.Model(m.text("name"), m.text("model"), m.optionalText("adapter"), m.optionalText("head")), m);
            }
            for (Node t : root.items("tasks")) {
                TableBuilder table = table(t.text("task"), t.text("dataset"));
                String metric = t.text("metric");
                table.metric(t, metric, t.bool("higher_is_better"));
                for (Map.Entry<String, Node> v : t.fields("values")) {
                    table.cell(v.getValue(), v.getKey(), metric, v.getValue().cell());
                }
                List<ReportData.Difference> diffs = table.differences.computeIfAbsent(metric, k -> new ArrayList<>());
                if (t.json().has("differences")) {
                    for (Node d : t.items("differences")) {
                        diffs.add(new ReportData.Difference(d.text("a"), d.text("b"), d.number("diff"), d.number("ci_low"),
                                d.number("ci_high"), d.number("p"), d.bool("significant")));
                    }
                }
            }
            if (root.json().has("galleries")) {
                for (Node g : root.items("galleries")) {
                    galleries.add(gallery(g));
                }
            }
        }

        ReportData.Gallery gallery(Node g) {
            int k = (int) g.number("k");
            List<ReportData.Query> queries = new ArrayList<>();
            for (Node q : g.items("queries")) {
                Map<String, List<ReportData.Hit>> results = new LinkedHashMap<>();
                for (Map.Entry<String, Node> r : q.fields("results")) {
                    List<ReportData.Hit> hits = new ArrayList<>();
                    for (Node h : r.getValue().elements()) {
                        hits.add(new ReportData.Hit(h.image("path"), h.text("label"), h.number("distance"), h.bool("correct")));
                    }
                    results.put(r.getKey(), List.copyOf(hits));
                }
                queries.add(new ReportData.Query(q.image("query"), q.text("label"), results));
            }
            return new ReportData.Gallery(g.text("task"), g.text("dataset"), k, List.copyOf(queries));
        }

        void eval(Node root) {
            String model = root.text("model");
            String adapter = root.optionalText("adapter");
            String head = root.optionalText("head");
            String row = models.stream()
                    .filter(m -> m.model().equals(model) && Objects.equals(m.adapter(), adapter) && Objects.equals(m.head(), head))
                    .map(ReportData.Model::name).findFirst()
                    .orElse(model + (adapter == null ? "" : " + " + adapter) + (head == null ? "" : " + head " + head));
            model(new ReportData.Model(row, model, adapter, head), root);
            String setting = root.optionalText("setting");
            TableBuilder table = table(root.text("task") + (setting == null ? "" : " (" + setting + ")"), root.text("dataset"));
            for (Map.Entry<String, Node> m : root.fields("metrics")) {
                table.metric(m.getValue(), m.getKey(), m.getValue().bool("higher_is_better"));
                table.cell(m.getValue(), row, m.getKey(), m.getValue().cell());
            }
        }

        ReportData build(List<Path> files) {
            return new ReportData(List.copyOf(files), List.copyOf(models),
                    tables.values().stream().map(t -> t.build(models.stream().map(ReportData.Model::name).toList())).toList(),
                    List.copyOf(galleries));
        }
    }
}
