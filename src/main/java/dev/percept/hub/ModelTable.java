package dev.percept.hub;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code percept models}: the two caches (Hub files, DreamSim's releases), one row per
 * known model, then the folders of cached ones.
 */
public final class ModelTable {

    private ModelTable() {}

    public static String render(Path cacheDir, Path dreamsimDir, List<ModelStore.CachedModel> models) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "FAMILY", "HUB REPO", "CACHED", "DESCRIPTION"});
        for (ModelStore.CachedModel c : models) {
            KnownModel m = c.model();
            rows.add(new String[] {m.name(), m.family(), source(m), cached(c, models), m.description()});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder("Model cache: " + cacheDir + "\nDreamSim cache: " + dreamsimDir + "\n\n");
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                out.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            out.append(row[4]).append('\n');
        }
        List<ModelStore.CachedModel> cached = models.stream().filter(c -> c.folder().isPresent()).toList();
        if (!cached.isEmpty()) {
            out.append("\nCached folders:\n");
            int nameWidth = cached.stream().mapToInt(c -> c.model().name().length()).max().orElse(0);
            for (ModelStore.CachedModel c : cached) {
                String name = c.model().name();
                out.append("  ").append(name).append(" ".repeat(nameWidth - name.length() + 2))
                        .append(c.folder().get()).append('\n');
            }
        }
        return out.toString();
    }

    private static String source(KnownModel m) {
        if (m.isEnsemble()) {
            return String.join(" + ", m.members());
        }
        if (m.isDreamSim()) {
            return "DreamSim release " + m.dreamsim().tag();
        }
        return m.isOnHub() ? m.repo() : "(no safetensors on the Hub)";
    }

    // An ensemble is cached when all its members are.
    private static String cached(ModelStore.CachedModel c, List<ModelStore.CachedModel> all) {
        KnownModel m = c.model();
        if (m.isEnsemble()) {
            boolean every = m.members().stream().allMatch(member -> all.stream()
                    .anyMatch(o -> o.model().name().equals(member) && o.folder().isPresent()));
            return every ? "yes" : "no";
        }
        if (!m.isOnHub() && !m.isDreamSim()) {
            return "-";
        }
        return c.folder().isPresent() ? "yes" : "no";
    }
}
