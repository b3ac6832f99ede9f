package io.rimedata.platform.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/** The API's JSON rules beyond Quarkus' settings: timestamps with milliseconds, storable strings, one document per body. */
@Singleton
public class JsonCustomizer implements ObjectMapperCustomizer {

    /** Applied after Quarkus' own customizers, so this serializer wins over the Java time module's. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("rime-timestamps").addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(Timestamps.format(value));
            }
        }).addDeserializer(String.class, new StorableStrings()));
        // {"a":1} [] is not one JSON document: the rest is not silently ignored
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Strings as PostgreSQL can store them: U+0000 (which its text type refuses) and unpaired surrogates (which are
     * not Unicode) are rejected where they are read, so the 400 names the field.
     */
    static final class StorableStrings extends StdScalarDeserializer<String> {

        StorableStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && !Text.storable(value)) {
                throw InvalidFormatException.from(p, Text.PROBLEM, value, String.class);
            }
            return value;
        }
    }
}
