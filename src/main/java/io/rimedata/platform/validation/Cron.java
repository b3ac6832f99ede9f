package io.rimedata.platform.validation;

import io.rimedata.platform.schedule.CronSchedule;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.ZoneOffset;

/** One or more 5-field cron expressions joined by {@code " | "} (null is valid; combine with {@code @NotBlank}). */
@Documented
@Constraint(validatedBy = Cron.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface Cron {

    String message() default "Must be 5-field cron expressions joined with ' | '.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Cron, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            try {
                CronSchedule.parse(value, ZoneOffset.UTC);
                return true;
            } catch (IllegalArgumentException e) {
                context.disableDefaultConstraintViolation();
                // the parser's own words say which field is wrong
                context.buildConstraintViolationWithTemplate(e.getMessage().replace("{", "(").replace("}", ")"))
                        .addConstraintViolation();
                return false;
            }
        }
    }
}
