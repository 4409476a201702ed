package io.reducer.deploy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request to the Kubernetes API as the RBAC authorizer sees it: verb, API group, resource, subresource,
 * namespace and name, derived from the HTTP method and path the way the API server's RequestInfo does. A path
 * outside /api and /apis is a non-resource request (e.g. /version).
 *
 * @param namespace empty for cluster-scoped requests and for lists or watches across all namespaces
 * @param name      empty for create, list, watch and deletecollection (unless a field selector names one object)
 */
record ApiRequest(String verb, String group, String resource, String subresource, String namespace, String name,
    String nonResourcePath) {

  static ApiRequest of(String method, String pathAndQuery) {
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    Map<String, String> query = query(question < 0 ? "" : pathAndQuery.substring(question + 1));
    List<String> segments = new ArrayList<>(Arrays.asList(path.replaceAll("^/+|/+$", "").split("/")));
    String group;
    int apiPrefix;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      group = "";
      apiPrefix = 2;
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      apiPrefix = 3;
    } else {
      return nonResource(method, path);
    }
    List<String> rest = segments.subList(apiPrefix, segments.size());
    if (rest.isEmpty()) {
      return nonResource(method, path);
    }
    String namespace = "";
    if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String subresource = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : "";
    if (resource.equals("namespaces") && !name.isEmpty() && namespace.isEmpty()) {
      namespace = name;
    }
    String fieldSelector = query.getOrDefault("fieldSelector", "");
    if (name.isEmpty() && fieldSelector.startsWith("metadata.name=") && !fieldSelector.contains(",")) {
      name = fieldSelector.substring("metadata.name=".length());
    }
    boolean named = rest.size() > 1;
    String verb = switch (method) {
      case "GET", "HEAD" -> watch(query) ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase();
    };
    return new ApiRequest(verb, group, resource, subresource, namespace, name, "");
  }

  private static ApiRequest nonResource(String method, String path) {
    return new ApiRequest(method.toLowerCase(), "", "", "", "", "", path);
  }

  private static boolean watch(Map<String, String> query) {
    String watch = query.get("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  private static Map<String, String> query(String text) {
    Map<String, String> query = new HashMap<>();
    for (String pair : text.split("&")) {
      if (!pair.isEmpty()) {
        int equals = pair.indexOf('=');
        query.put(decode(equals < 0 ? pair : pair.substring(0, equals)), equals < 0 ? ""
            : decode(pair.substring(equals + 1)));
      }
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  boolean isResourceRequest() {
    return nonResourcePath.isEmpty();
  }

  /** The resource as RBAC rules name it: "jobs", "projections/status". */
  String resourceWithSubresource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  @Override
  public String toString() {
    if (!isResourceRequest()) {
      return verb + " " + nonResourcePath;
    }
    return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resourceWithSubresource()
        + (namespace.isEmpty() ? "" : " in " + namespace) + (name.isEmpty() ? "" : " named " + name);
  }
}
