package seed;

/** The seed's backend: prints its greeting; CodeDeploy's hooks start and stop it. */
public final class Backend {
    private Backend() {
    }

    public static String greeting(String name) {
        return "hello, " + name;
    }

    public static void main(String[] args) {
        System.out.println(greeting(args.length > 0 ? args[0] : "world"));
    }
}
