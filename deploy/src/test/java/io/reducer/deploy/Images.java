package io.reducer.deploy;

import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The two images the build defines (jib-maven-plugin, configured in the parent POM), as their modules' POMs and the
 * parent POM's properties (build.properties, filled in by the build) name them.
 *
 * @param module the Maven module the image is built from, relative to the repository root
 * @param name the image name under the registry, e.g. reducer-operator
 * @param mainClass the main class the entry point runs
 * @param port the one port the image exposes
 */
record Images(String module, String name, String mainClass, int port) {

  private static final Properties BUILD = build();

  static final Images OPERATOR = of("operator/controller");
  static final Images WORKLOADS = of("operator/workloads");
  static final List<Images> ALL = List.of(OPERATOR, WORKLOADS);

  /** The image reference the build tags, e.g. ghcr.io/reducer-io/reducer-operator:0.1.0. */
  String reference() {
    return repository() + ":" + tag();
  }

  String repository() {
    return property("image.registry") + "/" + name;
  }

  /** Where the build (package phase) writes this image built from an empty base, for the tests. */
  Path testOutput() {
    return ProjectLayout.root().resolve(module).resolve("target").resolve("image-test");
  }

  static String tag() {
    return property("image.tag");
  }

  /** A build property, from build.properties, which the build fills in. */
  static String property(String name) {
    String value = BUILD.getProperty(name);
    if (value == null || value.isEmpty() || value.startsWith("${")) {
      throw new IllegalStateException("build.properties has no " + name + "; run the tests through Maven");
    }
    return value;
  }

  private static Properties build() {
    try (InputStream in = Images.class.getResourceAsStream("/build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties is not on the test classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Images of(String module) {
    Element properties = properties(ProjectLayout.root().resolve(module).resolve("pom.xml"));
    return new Images(module, text(properties, "image.name"), text(properties, "image.main"),
        Integer.parseInt(text(properties, "image.port")));
  }

  private static Element properties(Path pom) {
    try {
      Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
          .getDocumentElement();
      NodeList found = project.getElementsByTagName("properties");
      for (int i = 0; i < found.getLength(); i++) {
        if (found.item(i).getParentNode() == project) {
          return (Element) found.item(i);
        }
      }
      throw new IllegalStateException(pom + " has no <properties>");
    } catch (IOException | SAXException | ParserConfigurationException e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
  }

  private static String text(Element properties, String name) {
    NodeList found = properties.getElementsByTagName(name);
    if (found.getLength() != 1) {
      throw new IllegalStateException("expected one <" + name + "> in the module's <properties>");
    }
    return found.item(0).getTextContent().trim();
  }
}
