package dev.ferry.core.engine;

import java.lang.reflect.Modifier;

/** Finds {@link CodeStep} classes by name: the definition parser checks them, the engine loads them. */
public final class CodeSteps {
    private CodeSteps() {}

    /**
     * The named class, if it exists, implements {@link CodeStep} and has a public no-arg constructor.
     * Does not initialize it.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Class<? extends CodeStep> find(String className) {
        if (className == null || className.isBlank()) throw new IllegalArgumentException("class name is empty");
        Class<?> type;
        try {
            type = Class.forName(className.trim(), false, loader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class " + className + " is not on the classpath");
        }
        if (!CodeStep.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("class " + className + " does not implement " + CodeStep.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("class " + className + " is abstract");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException("class " + className + " is not public");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("class " + className + " has no public no-arg constructor");
        }
        return type.asSubclass(CodeStep.class);
    }

    /** A new instance of the named class. */
    static CodeStep instantiate(String className) {
        Class<? extends CodeStep> type = find(className);
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("cannot create " + className + ": " + cause);
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : CodeSteps.class.getClassLoader();
    }
}
