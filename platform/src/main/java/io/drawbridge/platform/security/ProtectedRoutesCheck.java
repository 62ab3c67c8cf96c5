package io.drawbridge.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Refuses to start a service that serves protected routes without the token that guards them: an empty admin
 * token would lock everyone out (or, worse, tempt someone to open the routes), so the mistake should surface at
 * deploy time with a clear message, not as 401s. A service without such routes starts without the token.
 */
class ProtectedRoutesCheck implements SmartInitializingSingleton {

    private final ApplicationContext context;
    private final SecurityProperties properties;

    ProtectedRoutesCheck(ApplicationContext context, SecurityProperties properties) {
        this.context = context;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> routes = routes();
        List<PathPattern> publicPaths = BearerTokenWebFilter.parse(properties.publicPaths());
        require(
                routes,
                publicPaths,
                BearerTokenWebFilter.ADMIN_PATHS,
                properties.hasAdminToken(),
                "drawbridge.security.admin-token",
                "DRAWBRIDGE_ADMIN_TOKEN");
        require(
                routes,
                publicPaths,
                BearerTokenWebFilter.SERVICE_PATHS,
                properties.hasServiceToken(),
                "drawbridge.security.service-token",
                "DRAWBRIDGE_SERVICE_TOKEN");
    }

    private static void require(
            Set<String> routes,
            List<PathPattern> publicPaths,
            PathPattern guarded,
            boolean tokenConfigured,
            String property,
            String variable) {
        if (tokenConfigured) {
            return;
        }
        List<String> unguarded = new ArrayList<>();
        for (String route : routes) {
            PathContainer path = PathContainer.parsePath(route);
            if (guarded.matches(path) && publicPaths.stream().noneMatch(pattern -> pattern.matches(path))) {
                unguarded.add(route);
            }
        }
        if (!unguarded.isEmpty()) {
            throw new IllegalStateException("This service serves routes under " + guarded.getPatternString() + " "
                    + unguarded + " but " + property + " is empty: set the " + variable
                    + " environment variable (or list the routes in drawbridge.security.public-paths if they are"
                    + " meant to be public).");
        }
    }

    /** Every route pattern the service serves, from annotated controllers and router functions. */
    Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        context.getBeansOfType(RequestMappingHandlerMapping.class)
                .values()
                .forEach(mapping -> mapping.getHandlerMethods().keySet().forEach(info -> info.getPatternsCondition()
                        .getPatterns()
                        .forEach(pattern -> routes.add(pattern.getPatternString()))));
        context.getBeansOfType(RouterFunctionMapping.class).values().forEach(mapping -> {
            RouterFunction<?> routerFunction = mapping.getRouterFunction();
            if (routerFunction != null) {
                routerFunction.accept(new RouteCollector(routes));
            }
        });
        return routes;
    }

    /** Collects the path patterns of router functions, prefixing nested ones. */
    private static final class RouteCollector implements RouterFunctions.Visitor, RequestPredicates.Visitor {

        private final Set<String> routes;
        private final List<String> prefixes = new ArrayList<>();
        private final List<String> current = new ArrayList<>();

        RouteCollector(Set<String> routes) {
            this.routes = routes;
        }

        @Override
        public void startNested(RequestPredicate predicate) {
            current.clear();
            predicate.accept(this);
            prefixes.add(current.isEmpty() ? "" : current.get(0));
        }

        @Override
        public void endNested(RequestPredicate predicate) {
            prefixes.remove(prefixes.size() - 1);
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
            current.clear();
            predicate.accept(this);
            String prefix = String.join("", prefixes);
            if (current.isEmpty()) {
                routes.add(prefix.isEmpty() ? "/**" : prefix + "/**");
            } else {
                current.forEach(path -> routes.add(prefix + path));
            }
        }

        @Override
        public void resources(
                Function<ServerRequest, reactor.core.publisher.Mono<org.springframework.core.io.Resource>>
                        lookupFunction) {}

        @Override
        public void attributes(java.util.Map<String, Object> attributes) {}

        @Override
        public void unknown(RouterFunction<?> routerFunction) {}

        @Override
        public void method(Set<org.springframework.http.HttpMethod> methods) {}

        @Override
        public void path(String pattern) {
            current.add(pattern);
        }

        @Override
        public void pathExtension(String extension) {}

        @Override
        public void header(String name, String value) {}

        @Override
        public void queryParam(String name, String value) {}

        @Override
        public void version(String version) {}

        @Override
        public void startAnd() {}

        @Override
        public void and() {}

        @Override
        public void endAnd() {}

        @Override
        public void startOr() {}

        @Override
        public void or() {}

        @Override
        public void endOr() {}

        @Override
        public void startNegate() {}

        @Override
        public void endNegate() {}

        @Override
        public void unknown(RequestPredicate predicate) {}
    }
}
