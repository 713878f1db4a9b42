package io.parley.media;

import java.io.IOException;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Loads (without initialising) every class under some packages. A class is otherwise loaded the
 * first time a call needs it, on that call's media loop: reading it from the nested jar took up to
 * a third of a second for the first call's socket pipeline, while every call on the loop waited.
 */
public final class ClassPreload {

  private ClassPreload() {}

  /**
   * Loads the classes under each package (e.g. {@code io/netty/handler/codec/http}) that {@code
   * loader} can see; a class that cannot be linked (an optional dependency is absent) is skipped.
   *
   * @return how many classes were loaded
   */
  public static int load(ClassLoader loader, String... packagePaths) {
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(loader);
    int loaded = 0;
    for (String path : packagePaths) {
      Resource[] classes;
      try {
        classes = resolver.getResources("classpath*:" + path + "/**/*.class");
      } catch (IOException e) {
        continue;
      }
      for (Resource resource : classes) {
        String name = className(resource, path);
        if (name == null) {
          continue;
        }
        try {
          Class.forName(name, false, loader);
          loaded++;
        } catch (ClassNotFoundException | LinkageError e) {
          // optional parts of a library whose dependencies are not on the class path
        }
      }
    }
    return loaded;
  }

  private static String className(Resource resource, String packagePath) {
    String url;
    try {
      url = resource.getURL().toString();
    } catch (IOException e) {
      return null;
    }
    int start = url.lastIndexOf(packagePath + "/");
    if (start < 0 || !url.endsWith(".class") || url.endsWith("module-info.class")) {
      return null;
    }
    return url.substring(start, url.length() - ".class".length()).replace('/', '.');
  }
}
