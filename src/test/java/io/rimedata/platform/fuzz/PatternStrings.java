package io.rimedata.platform.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates strings that match the regular expressions the OpenAPI document puts in {@code pattern}: literals,
 * classes, groups, alternation and the usual quantifiers. Unbounded repetitions stay short, so a generated value
 * usually also fits the field's {@code maxLength}.
 */
final class PatternStrings {

    private static final String WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    private static final String DIGITS = "0123456789";
    private static final String VISIBLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

    private sealed interface Node permits Literal, Choice, Sequence, Alternation, Repeat {
    }

    private record Literal(char c) implements Node {
    }

    private record Choice(String chars) implements Node {
    }

    private record Sequence(List<Node> items) implements Node {
    }

    private record Alternation(List<Node> options) implements Node {
    }

    private record Repeat(Node node, int min, int max) implements Node {
    }

    private final String pattern;
    private int pos;

    private PatternStrings(String pattern) {
        this.pattern = pattern;
    }

    /** A string matching {@code pattern} as a whole. */
    static String generate(String pattern, Random random) {
        PatternStrings parser = new PatternStrings(pattern);
        Node root = parser.alternation();
        StringBuilder out = new StringBuilder();
        emit(root, random, out);
        return out.toString();
    }

    /** The literal options of a pattern such as {@code free|business}, or null when it is not such a list. */
    static List<String> literalAlternatives(String pattern) {
        if (!pattern.matches("[A-Za-z0-9_ -]+(\\|[A-Za-z0-9_ -]+)*")) {
            return null;
        }
        return List.of(pattern.split("\\|"));
    }

    private static void emit(Node node, Random random, StringBuilder out) {
        switch (node) {
            case Literal l -> out.append(l.c());
            case Choice c -> out.append(c.chars().charAt(random.nextInt(c.chars().length())));
            case Sequence s -> s.items().forEach(item -> emit(item, random, out));
            case Alternation a -> emit(a.options().get(random.nextInt(a.options().size())), random, out);
            case Repeat r -> {
                int n = r.min() + random.nextInt(r.max() - r.min() + 1);
                for (int i = 0; i < n; i++) {
                    emit(r.node(), random, out);
                }
            }
        }
    }

    private Node alternation() {
        List<Node> options = new ArrayList<>();
        options.add(sequence());
        while (pos < pattern.length() && pattern.charAt(pos) == '|') {
            pos++;
            options.add(sequence());
        }
        return options.size() == 1 ? options.getFirst() : new Alternation(options);
    }

    private Node sequence() {
        List<Node> items = new ArrayList<>();
        while (pos < pattern.length() && pattern.charAt(pos) != '|' && pattern.charAt(pos) != ')') {
            Node atom = atom();
            if (atom != null) {
                items.add(quantified(atom));
            }
        }
        return new Sequence(items);
    }

    private Node atom() {
        char c = pattern.charAt(pos++);
        return switch (c) {
            case '^', '$' -> null;
            case '(' -> {
                if (pattern.startsWith("?:", pos)) {
                    pos += 2;
                }
                Node inner = alternation();
                pos++; // ')'
                yield inner;
            }
            case '[' -> characterClass();
            case '\\' -> escape(pattern.charAt(pos++));
            case '.' -> new Choice(VISIBLE);
            default -> new Literal(c);
        };
    }

    private Node escape(char c) {
        return switch (c) {
            case 'd' -> new Choice(DIGITS);
            case 'w' -> new Choice(WORD);
            case 's' -> new Literal(' ');
            case 'S' -> new Choice(VISIBLE);
            default -> new Literal(c);
        };
    }

    private Node characterClass() {
        boolean negated = pos < pattern.length() && pattern.charAt(pos) == '^';
        if (negated) {
            pos++;
        }
        StringBuilder chars = new StringBuilder();
        boolean first = true;
        while (pos < pattern.length() && (pattern.charAt(pos) != ']' || first)) {
            first = false;
            char c = pattern.charAt(pos++);
            if (c == '\\') {
                char e = pattern.charAt(pos++);
                switch (e) {
                    case 'd' -> chars.append(DIGITS);
                    case 'w' -> chars.append(WORD);
                    case 's' -> chars.append(' ');
                    default -> chars.append(e);
                }
            } else if (pos + 1 < pattern.length() && pattern.charAt(pos) == '-' && pattern.charAt(pos + 1) != ']') {
                char end = pattern.charAt(pos + 1);
                pos += 2;
                for (char x = c; x <= end; x++) {
                    chars.append(x);
                }
            } else {
                chars.append(c);
            }
        }
        pos++; // ']'
        if (negated) {
            StringBuilder allowed = new StringBuilder();
            for (char x : VISIBLE.toCharArray()) {
                if (chars.indexOf(String.valueOf(x)) < 0) {
                    allowed.append(x);
                }
            }
            return new Choice(allowed.toString());
        }
        return new Choice(chars.toString());
    }

    private Node quantified(Node atom) {
        if (pos >= pattern.length()) {
            return atom;
        }
        char c = pattern.charAt(pos);
        Node result = switch (c) {
            case '?' -> new Repeat(atom, 0, 1);
            case '*' -> new Repeat(atom, 0, 3);
            case '+' -> new Repeat(atom, 1, 4);
            case '{' -> {
                int close = pattern.indexOf('}', pos);
                String[] bounds = pattern.substring(pos + 1, close).split(",", -1);
                int min = Integer.parseInt(bounds[0].trim());
                int max = bounds.length == 1 ? min
                        : bounds[1].isBlank() ? min + 3 : Integer.parseInt(bounds[1].trim());
                pos = close;
                // long repetitions (a 512-character ARN suffix) are legal but make unreadable reports
                yield new Repeat(atom, min, Math.min(max, Math.max(min, 12)));
            }
            default -> null;
        };
        if (result == null) {
            return atom;
        }
        pos++;
        if (pos < pattern.length() && pattern.charAt(pos) == '?') {
            pos++; // lazy quantifier: same language
        }
        return result;
    }
}
