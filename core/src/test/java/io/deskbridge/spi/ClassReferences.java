package io.deskbridge.spi;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The types a compiled class refers to, found two ways: from its class file's constant pool (every class entry and
 * every type named in a descriptor, signature or annotation, which covers method bodies too), and by reflection over
 * its declared signatures and annotations. Names are binary names with dots ({@code com.google.inject.Inject}).
 */
final class ClassReferences {
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\p{javaJavaIdentifierPart}/$]+)[;<]");

    private ClassReferences() {}

    /** The types named in a class file's constant pool. */
    static Set<String> inConstantPool(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        Set<Integer> stringLiterals = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // a long or double takes two entries
                }
                case 7 -> classNames.add(in.readUnsignedShort());
                case 8 -> stringLiterals.add(in.readUnsignedShort());
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 16, 19, 20 -> in.readUnsignedShort();
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        Set<String> types = new TreeSet<>();
        for (int index : classNames) {
            String name = utf8[index];
            if (name.startsWith("[")) {
                addFromDescriptor(name, types);
            } else {
                types.add(name.replace('/', '.'));
            }
        }
        for (int i = 1; i < count; i++) {
            if (utf8[i] != null && !stringLiterals.contains(i)) {
                addFromDescriptor(utf8[i], types);
            }
        }
        return types;
    }

    private static void addFromDescriptor(String descriptor, Set<String> types) {
        Matcher matcher = TYPE_IN_DESCRIPTOR.matcher(descriptor);
        while (matcher.find()) {
            types.add(matcher.group(1).replace('/', '.'));
        }
    }

    /** The types in a loaded class's declared supertypes, members, signatures and annotations. */
    static Set<String> bySignature(Class<?> type) {
        Set<String> types = new TreeSet<>();
        addType(type.getGenericSuperclass(), types);
        for (Type t : type.getGenericInterfaces()) {
            addType(t, types);
        }
        addAnnotations(type.getAnnotations(), types);
        for (Field field : type.getDeclaredFields()) {
            addType(field.getGenericType(), types);
            addAnnotations(field.getAnnotations(), types);
        }
        List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
        executables.addAll(List.of(type.getDeclaredConstructors()));
        for (Executable executable : executables) {
            for (Type t : executable.getGenericParameterTypes()) {
                addType(t, types);
            }
            for (Type t : executable.getGenericExceptionTypes()) {
                addType(t, types);
            }
            if (executable instanceof Method method) {
                addType(method.getGenericReturnType(), types);
            }
            addAnnotations(executable.getAnnotations(), types);
            for (Annotation[] parameter : executable.getParameterAnnotations()) {
                addAnnotations(parameter, types);
            }
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                addType(component.getGenericType(), types);
                addAnnotations(component.getAnnotations(), types);
            }
        }
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted != null) {
            for (Class<?> sub : permitted) {
                addType(sub, types);
            }
        }
        return types;
    }

    private static void addAnnotations(Annotation[] annotations, Set<String> types) {
        for (Annotation annotation : annotations) {
            addType(annotation.annotationType(), types);
        }
    }

    private static void addType(Type type, Set<String> types) {
        if (type == null) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!c.isPrimitive()) {
                types.add(c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            addType(p.getRawType(), types);
            addType(p.getOwnerType(), types);
            for (Type argument : p.getActualTypeArguments()) {
                addType(argument, types);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                addType(bound, types);
            }
            for (Type bound : w.getLowerBounds()) {
                addType(bound, types);
            }
        } else if (type instanceof GenericArrayType a) {
            addType(a.getGenericComponentType(), types);
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                addType(bound, types);
            }
        }
    }
}
