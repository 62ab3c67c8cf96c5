package io.drawbridge.console.pages;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.pages.AdminApi.ApiRefusal;
import io.drawbridge.console.pages.AdminApi.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Links: search (server-side paging by token-service), issue one, issue a batch from a CSV of emails with an order
 * prefix, revoke. An issued link's plaintext is shown once, on the page that answers the form, and kept nowhere.
 */
@Controller
class LinksPages {

    /** A batch is at most this many rows (a CSV for more: split it, or use token-service's batch API). */
    static final int MAX_BATCH = 500;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+");

    private final AdminApi api;
    private final ActionLog actions;

    LinksPages(AdminApi api, ActionLog actions) {
        this.api = api;
        this.actions = actions;
    }

    @GetMapping("/links")
    Mono<String> list(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(name = "order_id", defaultValue = "") String orderId,
            @RequestParam(defaultValue = "") String status,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        int size = 25;
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("email", email);
        query.add("order_id", orderId);
        query.add("status", status);
        query.add("page", Integer.toString(Math.max(0, page)));
        query.add("size", Integer.toString(size));
        model.addAttribute("email", email);
        model.addAttribute("orderId", orderId);
        model.addAttribute("status", status);
        return Mono.zip(
                        api.get(Target.TOKENS, "/api/v1/tokens", query),
                        api.get(Target.FILES, "/api/v1/products", null).onErrorReturn(Map.of()))
                .map(both -> {
                    model.addAttribute("items", both.getT1().getOrDefault("items", List.of()));
                    model.addAttribute("paging", Paging.of(both.getT1(), Math.max(0, page), size));
                    model.addAttribute("products", items(both.getT2()));
                    return "links";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("items", List.of());
                    model.addAttribute("paging", new Paging(0, size, 0));
                    model.addAttribute("products", List.of());
                    model.addAttribute("error", refusal.message());
                    return Mono.just("links");
                });
    }

    @PostMapping("/links")
    Mono<String> issue(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().zipWith(user(exchange)).flatMap(both -> {
            MultiValueMap<String, String> form = both.getT1();
            Map<String, Object> request = issueRequest(form);
            request.put("customer_email", form.getFirst("email"));
            if (!blank(form.getFirst("order_id"))) {
                request.put("order_id", form.getFirst("order_id").trim());
            }
            return api.post(Target.TOKENS, "/api/v1/tokens", request)
                    .flatMap(issued -> actions.record(
                                    both.getT2(),
                                    "link.issued",
                                    String.valueOf(issued.get("token_id")),
                                    "product " + request.get("product"))
                            .thenReturn(issued))
                    .map(issued -> {
                        issued.put("customer_email", form.getFirst("email"));
                        model.addAttribute("issued", List.of(issued));
                        return "issued";
                    })
                    .onErrorResume(ApiRefusal.class, refusal -> {
                        model.addAttribute("error", refusal.message());
                        return Mono.just("issued");
                    });
        });
    }

    /**
     * A CSV with one email per row (the first column holding an address; a header row is skipped): one link per row,
     * order ids {@code <prefix>-0001}, ... in file order. Rows are issued one by one; the page lists what was issued
     * and what was refused, so a half-issued batch is visible, never silent.
     */
    @PostMapping("/links/batch")
    Mono<String> batch(ServerWebExchange exchange, Model model) {
        return exchange.getMultipartData().zipWith(user(exchange)).flatMap(both -> {
            MultiValueMap<String, org.springframework.http.codec.multipart.Part> parts = both.getT1();
            String prefix = value(parts.getFirst("order_prefix"));
            Map<String, Object> template = new LinkedHashMap<>();
            template.put("product", value(parts.getFirst("product")));
            template.put("platform", value(parts.getFirst("platform")));
            template.put("max_downloads", value(parts.getFirst("max_downloads")));
            template.put("expires_in_hours", value(parts.getFirst("expires_in_hours")));
            MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
            template.forEach((key, v) -> form.add(key, (String) v));
            Map<String, Object> base = issueRequest(form);
            if (blank(prefix) || !(parts.getFirst("csv") instanceof FilePart csv)) {
                model.addAttribute("error", "validation_failed: a CSV file and an order prefix are both needed.");
                return Mono.just("issued");
            }
            return DataBufferUtils.join(csv.content(), 1024 * 1024)
                    .map(buffer -> {
                        String text = buffer.toString(StandardCharsets.UTF_8);
                        DataBufferUtils.release(buffer);
                        return emails(text);
                    })
                    .flatMap(emails -> {
                        if (emails.isEmpty() || emails.size() > MAX_BATCH) {
                            model.addAttribute(
                                    "error",
                                    "validation_failed: the CSV must hold 1 to " + MAX_BATCH
                                            + " email addresses, one per row.");
                            return Mono.just("issued");
                        }
                        List<Map<String, Object>> requests = new ArrayList<>();
                        for (int i = 0; i < emails.size(); i++) {
                            Map<String, Object> request = new LinkedHashMap<>(base);
                            request.put("customer_email", emails.get(i));
                            request.put("order_id", prefix.trim() + "-" + String.format("%04d", i + 1));
                            requests.add(request);
                        }
                        return Flux.fromIterable(requests)
                                .concatMap(request -> api.post(Target.TOKENS, "/api/v1/tokens", request)
                                        .map(issued -> {
                                            issued.put("customer_email", request.get("customer_email"));
                                            issued.put("order_id", request.get("order_id"));
                                            return issued;
                                        })
                                        .onErrorResume(
                                                ApiRefusal.class,
                                                refusal -> Mono.just(Map.of(
                                                        "customer_email", request.get("customer_email"),
                                                        "order_id", request.get("order_id"),
                                                        "refused", refusal.message()))))
                                .collectList()
                                .flatMap(results -> actions.record(
                                                both.getT2(),
                                                "link.batch_issued",
                                                prefix.trim(),
                                                results.stream()
                                                                .filter(r -> !r.containsKey("refused"))
                                                                .count()
                                                        + " of " + results.size() + " issued, product "
                                                        + base.get("product"))
                                        .thenReturn(results))
                                .map(results -> {
                                    model.addAttribute("issued", results);
                                    model.addAttribute("prefix", prefix.trim());
                                    return "issued";
                                });
                    });
        });
    }

    @PostMapping("/links/{id}/revoke")
    Mono<String> revoke(@PathVariable String id, ServerWebExchange exchange) {
        return user(exchange)
                .flatMap(user -> api.post(Target.TOKENS, "/api/v1/tokens/" + id + "/revoke", Map.of("reason", "admin"))
                        .then(actions.record(user, "link.revoked", id, null)))
                .thenReturn("redirect:/links?revoked=" + id)
                .onErrorResume(ApiRefusal.class, refusal -> Mono.just("redirect:/links?failed=" + refusal.error));
    }

    /** A new link for the same customer and contents, emailed by token-service; the old one is revoked. */
    @PostMapping("/links/{id}/resend")
    Mono<String> resend(@PathVariable String id, ServerWebExchange exchange) {
        return user(exchange)
                .flatMap(user -> api.post(Target.TOKENS, "/api/v1/tokens/" + id + "/resend", Map.of())
                        .flatMap(answer -> actions.record(
                                user, "link.resent", id, "new link " + answer.get("token_id") + " emailed")))
                .thenReturn("redirect:/links?resent=" + id)
                .onErrorResume(ApiRefusal.class, refusal -> Mono.just("redirect:/links?failed=" + refusal.error));
    }

    /** More time: token-service moves the expiry {@code hours} later (from now when it had expired). */
    @PostMapping("/links/{id}/extend")
    Mono<String> extend(@PathVariable UUID id, ServerWebExchange exchange) {
        return amend(id, exchange, "extend", "hours", "link.extended", "+%s hours");
    }

    /** More downloads: token-service raises the link's allowance (a used-up link becomes usable again). */
    @PostMapping("/links/{id}/add-uses")
    Mono<String> addUses(@PathVariable UUID id, ServerWebExchange exchange) {
        return amend(id, exchange, "add-uses", "uses", "link.uses_added", "+%s downloads");
    }

    private Mono<String> amend(
            UUID id, ServerWebExchange exchange, String path, String field, String action, String detail) {
        return exchange.getFormData().zipWith(user(exchange)).flatMap(both -> {
            String amount = trim(both.getT1().getFirst(field));
            if (blank(amount) || !amount.matches("[0-9]{1,6}")) {
                return Mono.just("redirect:/links?failed=validation_failed");
            }
            return api.post(Target.TOKENS, "/api/v1/tokens/" + id + "/" + path, Map.of(field, Integer.parseInt(amount)))
                    .flatMap(answer -> actions.record(
                            both.getT2(),
                            action,
                            id.toString(),
                            String.format(detail, amount) + ", expires " + answer.get("expires_at")))
                    .thenReturn("redirect:/links?amended=" + id)
                    .onErrorResume(ApiRefusal.class, refusal -> Mono.just("redirect:/links?failed=" + refusal.error));
        });
    }

    static List<String> emails(String csv) {
        List<String> emails = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new StringReader(csv))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String first = line.split("[,;\\t]", 2)[0].trim().replace("\"", "");
                if (EMAIL.matcher(first).matches()) {
                    emails.add(first);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return emails;
    }

    private static Map<String, Object> issueRequest(MultiValueMap<String, String> form) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("product", trim(form.getFirst("product")));
        if (!blank(form.getFirst("platform")) && !"any".equals(form.getFirst("platform"))) {
            request.put("platform", form.getFirst("platform"));
        }
        if (!blank(form.getFirst("max_downloads"))) {
            request.put(
                    "max_downloads",
                    Integer.parseInt(form.getFirst("max_downloads").trim()));
        }
        if (!blank(form.getFirst("expires_in_hours"))) {
            request.put(
                    "expires_in_hours",
                    Integer.parseInt(form.getFirst("expires_in_hours").trim()));
        }
        return request;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> answer) {
        Object items = answer.get("items");
        return items instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    static Mono<String> user(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(Principal::getName);
    }

    private static String value(org.springframework.http.codec.multipart.Part part) {
        return part instanceof org.springframework.http.codec.multipart.FormFieldPart field ? field.value() : null;
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
